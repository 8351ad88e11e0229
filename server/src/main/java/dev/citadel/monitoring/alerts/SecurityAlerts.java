package dev.citadel.monitoring.alerts;

import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.citadel.audit.SecurityEventRecorded;

/**
 * Turns every committed security event ({@code security.*} audit entry) into a {@code security}
 * alert. The event arrives on the thread that committed it — often a request's — so the alert is
 * raised on a thread of its own: the request neither waits for it nor fails because of it. If
 * alerts pile up faster than they are raised (more than {@value #BACKLOG} waiting), further ones are
 * dropped with an error in the log; the security events themselves are in the audit trail either way.
 */
@Component
class SecurityAlerts implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SecurityAlerts.class);
    private static final int BACKLOG = 1000;
    private static final Set<String> CRITICAL = Set.of("security.integrity_failure", "security.model_integrity_failure",
            "security.key_integrity_failure");

    private final Alerts alerts;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(BACKLOG), Thread.ofPlatform().name("citadel-security-alerts").daemon().factory());

    SecurityAlerts(Alerts alerts) {
        this.alerts = alerts;
    }

    @EventListener
    void on(SecurityEventRecorded event) {
        try {
            worker.execute(() -> raise(event));
        } catch (RejectedExecutionException e) {
            log.error("security alert dropped (backlog full): {} in tenant {}, audit entry {}", event.action(),
                    event.tenant().value(), event.seq());
        }
    }

    private void raise(SecurityEventRecorded event) {
        try {
            alerts.raise(alertFor(event));
        } catch (RuntimeException e) {
            log.error("could not raise the alert for {} in tenant {}, audit entry {}", event.action(),
                    event.tenant().value(), event.seq(), e);
        }
    }

    static Alert alertFor(SecurityEventRecorded event) {
        TreeMap<String, String> details = new TreeMap<>(event.details());
        details.put("action", event.action());
        details.put("auditSeq", Long.toString(event.seq()));
        details.put("auditEvent", event.eventId().toString());
        if (event.targetType() != null) {
            details.put("targetType", event.targetType());
        }
        if (event.targetId() != null) {
            details.put("targetId", event.targetId().length() > 512 ? event.targetId().substring(0, 512) : event.targetId());
        }
        String severity = CRITICAL.contains(event.action()) ? "critical" : "warning";
        String target = event.targetType() == null ? "" : " on " + event.targetType()
                + (event.targetId() == null ? "" : " " + event.targetId());
        return new Alert(event.tenant(), "security", severity, "Security event " + event.action() + target, details);
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }
}
