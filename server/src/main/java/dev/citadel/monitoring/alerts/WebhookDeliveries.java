package dev.citadel.monitoring.alerts;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.crypto.TenantSecrets;
import dev.citadel.platform.Secret;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;

/**
 * The delivery queue: deliveries are rows (they survive restarts), polled every
 * {@code citadel.alerts.delivery.poll-interval} and at once after an alert commits, claimed so that
 * one replica sends each, sent concurrently, retried with exponential backoff and jitter, and
 * {@code failed} — with a {@code monitoring.webhook.failed} audit entry — after the last attempt.
 */
@Component
class WebhookDeliveries implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);

    private final DeliveryRepository repository;
    private final WebhookSender sender;
    private final TenantSecrets secrets;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final AlertsProperties.Delivery settings;
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final ExecutorService poller = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("citadel-webhooks-poll").daemon().factory());
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
            .name("citadel-webhook-", 1).factory());

    WebhookDeliveries(DeliveryRepository repository, WebhookSender sender, TenantSecrets secrets, AuditLog audit,
            TenantTransactions transactions, Clock clock, AlertsProperties properties) {
        this.repository = repository;
        this.sender = sender;
        this.secrets = secrets;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.settings = properties.delivery();
    }

    /** Queues a delivery of {@code payload} to one webhook, in the caller's tenant transaction. */
    UUID enqueue(TenantId tenant, UUID webhookId, UUID eventId, String type, String payload) {
        UUID id = UUID.randomUUID();
        // milliseconds, as stored everywhere: a time rounded up by the database would not be due yet
        repository.insert(tenant, id, webhookId, eventId, type, payload, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        wakeUpAfterCommit();
        return id;
    }

    /** The signing secret's purpose string: binds its ciphertext to the webhook's row. */
    static String secretPurpose(UUID webhookId) {
        return "webhook:" + webhookId;
    }

    private void wakeUpAfterCommit() {
        dev.citadel.platform.db.AfterCommit.run(this::wakeUp);
    }

    private void wakeUp() {
        if (settings.enabled() && wakeUpPending.compareAndSet(false, true)) {
            poller.execute(() -> {
                wakeUpPending.set(false);
                pollSafely();
            });
        }
    }

    @Scheduled(fixedDelayString = "${citadel.alerts.delivery.poll-interval:1s}",
            initialDelayString = "${citadel.alerts.delivery.poll-interval:1s}")
    void poll() {
        wakeUp();
    }

    /** Claims and sends batches until fewer than a full batch are due. */
    private void pollSafely() {
        try {
            List<DeliveryRepository.Claimed> claimed;
            do {
                Instant now = clock.instant();
                claimed = transactions.inPlatform(() -> repository.claim(now, settings.lease(), settings.batchSize()));
                List<Future<?>> running = new ArrayList<>(claimed.size());
                for (DeliveryRepository.Claimed delivery : claimed) {
                    running.add(senders.submit(() -> attemptSafely(delivery)));
                }
                for (Future<?> attempt : running) {
                    attempt.get();
                }
            } while (claimed.size() == settings.batchSize());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.error("webhook delivery polling failed", e);
        }
    }

    private void attemptSafely(DeliveryRepository.Claimed claimed) {
        try {
            attempt(claimed);
        } catch (RuntimeException e) {
            // left in the queue: it is claimed again when its lease runs out
            log.error("webhook delivery {} of tenant {}: attempt {} could not be recorded", claimed.deliveryId(),
                    claimed.tenant().value(), claimed.attempt(), e);
        }
    }

    private record Prepared(DeliveryRepository.Attempt attempt, Secret secret) {}

    private void attempt(DeliveryRepository.Claimed claimed) {
        TenantId tenant = claimed.tenant();
        Prepared prepared;
        try {
            prepared = transactions.inTenant(tenant, () -> repository.attempt(tenant, claimed.deliveryId())
                    .map(a -> new Prepared(a, a.enabled() ? secretOf(tenant, a) : null))
                    .orElse(null));
        } catch (RuntimeException e) {
            // the tenant's keys are destroyed or the ciphertext does not authenticate: no attempt is possible
            log.warn("webhook delivery {} of tenant {}: signing secret unavailable ({})", claimed.deliveryId(),
                    tenant.value(), e.getClass().getSimpleName());
            Optional<DeliveryRepository.Attempt> row = transactions.inTenant(tenant,
                    () -> repository.attempt(tenant, claimed.deliveryId()));
            row.ifPresent(a -> record(claimed, a, new WebhookSender.Failed(null, "SecretUnavailable"), true));
            return;
        }
        if (prepared == null) {
            transactions.inPlatform(() -> repository.dequeue(claimed.deliveryId()));
            return;
        }
        DeliveryRepository.Attempt attempt = prepared.attempt();
        if (!attempt.enabled()) {
            record(claimed, attempt, new WebhookSender.Failed(null, "WebhookDisabled"), true);
            return;
        }
        WebhookSender.Outcome outcome = sender.send(URI.create(attempt.url()), attempt.eventId(),
                attempt.payload().getBytes(StandardCharsets.UTF_8), prepared.secret(), clock.instant());
        prepared.secret().destroy();
        record(claimed, attempt, outcome, false);
    }

    /** The webhook's signing secret, decrypted for one attempt (in the tenant's transaction). */
    private Secret secretOf(TenantId tenant, DeliveryRepository.Attempt attempt) {
        byte[] plaintext = secrets.decrypt(tenant, attempt.secretCiphertext(), secretPurpose(attempt.webhookId()));
        try {
            return Secret.of(new String(plaintext, StandardCharsets.UTF_8));
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    private void record(DeliveryRepository.Claimed claimed, DeliveryRepository.Attempt attempt,
            WebhookSender.Outcome outcome, boolean permanent) {
        TenantId tenant = claimed.tenant();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        transactions.inTenant(tenant, () -> {
            switch (outcome) {
                case WebhookSender.Delivered delivered -> repository.finish(tenant, attempt.id(), DeliveryRepository.DELIVERED,
                        claimed.attempt(), delivered.status(), null, now);
                case WebhookSender.Failed failed when permanent || claimed.attempt() >= settings.maxAttempts() -> {
                    repository.finish(tenant, attempt.id(), DeliveryRepository.FAILED, claimed.attempt(), failed.status(),
                            failed.error(), now);
                    audit.append(new AuditEvent(tenant, "system", "monitoring.webhook.failed", "webhook",
                            attempt.webhookName(), AuditOutcome.FAILURE, failureDetails(claimed, attempt, failed)));
                }
                case WebhookSender.Failed failed -> repository.retryLater(tenant, attempt.id(), claimed.attempt(),
                        failed.status(), failed.error(), now, now.plus(backoff(claimed.attempt())));
            }
        });
        if (outcome instanceof WebhookSender.Failed failed) {
            log.info("webhook {} of tenant {}: delivery {} attempt {} failed ({}{})", attempt.webhookName(), tenant.value(),
                    attempt.id(), claimed.attempt(), failed.error(), failed.status() == null ? "" : " " + failed.status());
        }
    }

    private static TreeMap<String, String> failureDetails(DeliveryRepository.Claimed claimed,
            DeliveryRepository.Attempt attempt, WebhookSender.Failed failed) {
        TreeMap<String, String> details = new TreeMap<>(Map.of("delivery", attempt.id().toString(),
                "event", attempt.eventId().toString(), "type", attempt.type(),
                "attempts", Integer.toString(claimed.attempt()), "lastError", failed.error()));
        if (failed.status() != null) {
            details.put("lastStatus", failed.status().toString());
        }
        return details;
    }

    /**
     * The wait after {@code attempts} failed attempts: base × 2^(attempts−1), capped, then scaled by
     * a random factor in [0.5, 1) so receivers that failed together are not retried together.
     */
    Duration backoff(int attempts) {
        long max = settings.backoffMax().toMillis();
        long delay = settings.backoffBase().toMillis();
        for (int i = 1; i < attempts && delay < max; i++) {
            delay = Math.min(max, delay * 2);
        }
        return Duration.ofMillis(Math.max(1, (long) (delay * (0.5 + random.nextDouble() / 2))));
    }

    @Override
    public void destroy() throws InterruptedException {
        poller.shutdownNow();
        senders.shutdown();
        if (!senders.awaitTermination(5, TimeUnit.SECONDS)) {
            senders.shutdownNow();
        }
    }
}
