package dev.citadel.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.platform.web.RequestMetadata;

/**
 * Bench-only: the server's audit log behind a switch, so one run can measure the same operations
 * with auditing off and on. Only the bench module adds it (as the tests add SwitchableAuditLog); the
 * server has no way to turn auditing off. With the switch off an append writes nothing — the
 * caller's transaction (the group commit's, for predictions) still opens and commits.
 */
@Configuration(proxyBeanMethods = false)
class AuditSwitch {

    static final AtomicBoolean ON = new AtomicBoolean(true);

    @Bean
    @Primary
    AuditLog switchedAuditLog(@Qualifier("jdbcAuditLog") AuditLog delegate) {
        return new AuditLog() {
            @Override
            public long append(AuditEvent event) {
                return ON.get() ? delegate.append(event) : 0;
            }

            @Override
            public long append(AuditEvent event, RequestMetadata origin) {
                return ON.get() ? delegate.append(event, origin) : 0;
            }

            @Override
            public void appendAll(List<Origined> entries) {
                if (ON.get()) {
                    delegate.appendAll(entries);
                }
            }
        };
    }
}
