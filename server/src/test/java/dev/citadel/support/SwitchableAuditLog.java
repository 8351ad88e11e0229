package dev.citadel.support;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.dao.DataAccessResourceFailureException;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;

/** The real audit log, with a switch that makes appends fail as a broken database would. */
public final class SwitchableAuditLog implements AuditLog {

    private final AuditLog delegate;
    private final AtomicBoolean failing = new AtomicBoolean();

    public SwitchableAuditLog(AuditLog delegate) {
        this.delegate = delegate;
    }

    public void failAppends(boolean fail) {
        failing.set(fail);
    }

    @Override
    public long append(AuditEvent event) {
        return append(event, dev.citadel.platform.web.RequestMetadata.current());
    }

    @Override
    public long append(AuditEvent event, dev.citadel.platform.web.RequestMetadata origin) {
        if (failing.get()) {
            throw new dev.citadel.platform.errors.CitadelException(dev.citadel.platform.errors.ErrorCode.AUDIT_UNAVAILABLE,
                    "The audit trail is unavailable; the change was not made.",
                    new DataAccessResourceFailureException("injected audit failure"));
        }
        return delegate.append(event, origin);
    }

    @Override
    public void appendAll(java.util.List<Origined> entries) {
        if (failing.get()) {
            append(entries.getFirst().event(), entries.getFirst().origin());
        }
        delegate.appendAll(entries);
    }
}
