package dev.citadel.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.stereotype.Component;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.db.WriterPool;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.web.RequestMetadata;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Group commit for events that are the whole of their request's effect (a prediction answered, a
 * request refused): each caller waits until its entry is committed — nothing is acknowledged
 * unaudited — but concurrent callers of one tenant share one transaction. Whoever finds no flush in
 * progress flushes everything queued, in order; the others' entries ride along. The tenant's chain
 * stays one linear chain, and under load a commit is paid once per batch instead of once per request.
 * A caller about to lead a flush first yields its processor once, so that the requests in flight on
 * other threads can join the batch.
 */
@Component
public class GroupCommitAudit {

    private static final int MAX_BATCH = 512;
    private static final long WAIT_SECONDS = 10;

    private final AuditLog log;
    private final TenantTransactions transactions;
    private final Map<TenantId, TenantQueue> queues = new ConcurrentHashMap<>();
    private final DistributionSummary batches;

    /** Flushes run on the audit writer's own pool (see {@link WriterPool}). */
    GroupCommitAudit(AuditLog log, WriterPool writer, MeterRegistry meters) {
        this.log = log;
        this.transactions = writer.transactions();
        this.batches = DistributionSummary.builder("citadel.audit.group.commit.entries")
                .description("Audit entries committed per group-commit transaction").register(meters);
    }

    private record Pending(AuditEvent event, RequestMetadata origin, CompletableFuture<Void> done) {}

    private static final class TenantQueue {
        final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
        final AtomicBoolean flushing = new AtomicBoolean();
    }

    /** Appends {@code event} and returns once it is committed; 503 {@code audit.unavailable} if it cannot be. */
    public void appendAndWait(AuditEvent event) {
        Pending pending = new Pending(event, RequestMetadata.current(), new CompletableFuture<>());
        TenantQueue queue = queues.computeIfAbsent(event.tenant(), t -> new TenantQueue());
        queue.pending.add(pending);
        if (!queue.flushing.get()) {
            // about to lead a flush: let the requests already running on this machine's other
            // threads reach their own append first, so they ride in this batch instead of each
            // paying a transaction of its own (without this, batches under load averaged 1.04
            // entries; with it 2.5–4, docs/benchmarks.md). On an idle machine it returns at once.
            Thread.yield();
        }
        drain(event.tenant(), queue);
        try {
            pending.done().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CitadelException citadel) {
                throw citadel;
            }
            throw unavailable(e.getCause());
        } catch (TimeoutException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    /**
     * Flushes while there is work and nobody else is flushing. The flag is released before the queue
     * is looked at again, so an entry added during a flush is either taken by this loop or by its own
     * caller's attempt — never left behind.
     */
    private void drain(TenantId tenant, TenantQueue queue) {
        do {
            if (!queue.flushing.compareAndSet(false, true)) {
                return;
            }
            try {
                List<Pending> batch = new ArrayList<>();
                Pending next;
                while (batch.size() < MAX_BATCH && (next = queue.pending.poll()) != null) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    flush(tenant, batch);
                }
            } finally {
                queue.flushing.set(false);
            }
        } while (!queue.pending.isEmpty());
    }

    private void flush(TenantId tenant, List<Pending> batch) {
        try {
            List<AuditLog.Origined> entries = batch.stream()
                    .map(p -> new AuditLog.Origined(p.event(), p.origin())).toList();
            transactions.inNewTenantTransaction(tenant, () -> {
                log.appendAll(entries);
                return null;
            });
            batches.record(batch.size());
            batch.forEach(p -> p.done().complete(null));
        } catch (RuntimeException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    private static CitadelException unavailable(Throwable cause) {
        return new CitadelException(ErrorCode.AUDIT_UNAVAILABLE, "The audit trail is unavailable.", cause);
    }
}
