package dev.citadel.monitoring.alerts;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.crypto.TenantSecrets;
import dev.citadel.crypto.WebhookSignatures;
import dev.citadel.platform.ResourceNames;
import dev.citadel.platform.Secret;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * A tenant's (or the platform's) alert webhooks: where alerts of which types go, and the secret
 * that signs them. The secret is shown once — when the webhook is created and when it is rotated —
 * and otherwise exists only encrypted with the tenant's secrets keyset.
 */
@Service
public class Webhooks {

    /** The alert types a webhook can subscribe to, in the order they are listed. */
    public static final List<String> TYPES = List.of("security", "drift", "bias", "anomaly");

    private final WebhookRepository repository;
    private final DeliveryRepository deliveryLog;
    private final WebhookDeliveries deliveries;
    private final WebhookTargets targets;
    private final TenantSecrets secrets;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final int maxPerTenant;

    Webhooks(WebhookRepository repository, DeliveryRepository deliveryLog, WebhookDeliveries deliveries,
            WebhookTargets targets, TenantSecrets secrets, AuditLog audit, TenantTransactions transactions, Clock clock,
            AlertsProperties properties) {
        this.repository = repository;
        this.deliveryLog = deliveryLog;
        this.deliveries = deliveries;
        this.targets = targets;
        this.secrets = secrets;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.maxPerTenant = properties.maxWebhooksPerTenant();
    }

    /** What a webhook should be: its URL, the alert types it receives (all when null), whether it is on. */
    public record WebhookRequest(String url, List<String> types, Boolean enabled) {}

    /**
     * A webhook as the API shows it. {@code secret} is present only in the answer that created the
     * webhook or rotated its secret.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookView(String name, String url, List<String> types, boolean enabled, Instant secretCreatedAt,
            Instant createdAt, String createdBy, Instant updatedAt, String updatedBy, String secret) {

        /** Redacts the secret: a framework that logs response values at DEBUG must not log it. */
        @Override
        public String toString() {
            return "WebhookView[name=" + name + ", types=" + types + ", enabled=" + enabled
                    + (secret == null ? "" : ", secret=[redacted]") + "]";
        }
    }

    /** The answer to a PUT: whether it created the webhook (201, with the secret) or changed it (200). */
    public record PutResult(boolean created, WebhookView webhook) {}

    /** A queued test delivery. */
    public record TestDelivery(UUID eventId, UUID deliveryId) {}

    /** One delivery in the log: never the body the receiver answered, never the secret. */
    public record DeliveryView(long seq, UUID id, UUID eventId, String type, String state, int attempts,
            Integer lastStatus, String lastError, Instant createdAt, Instant lastAttemptAt, Instant nextAttemptAt,
            Instant finishedAt) {}

    /** One page of the delivery log, newest first, and the {@code before} of the next page (null at the end). */
    public record DeliveryPage(List<DeliveryView> items, Long nextBefore) {}

    public PutResult put(TenantId tenant, String name, WebhookRequest request) {
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        if (!ResourceNames.isValid(name)) {
            problems.add(new CitadelException.FieldProblem("name", "1-64 lower-case letters, digits, '.', '_' or '-'"));
        }
        List<String> types = types(request.types(), problems);
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.WEBHOOK_INVALID, "The webhook is invalid.", problems, null);
        }
        URI url = targets.validate(request.url());
        boolean enabled = request.enabled() == null || request.enabled();
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String actor = Principals.currentActor();
        return transactions.inTenant(tenant, () -> {
            Optional<WebhookRepository.Row> existing = repository.find(tenant, name);
            if (existing.isPresent()) {
                WebhookRepository.Row row = changed(existing.get(), url, types, enabled, now, actor);
                repository.update(tenant, row);
                auditPut(tenant, row, false);
                return new PutResult(false, view(row, null));
            }
            if (repository.count(tenant) >= maxPerTenant) {
                throw new CitadelException(ErrorCode.QUOTA_EXCEEDED, "At most " + maxPerTenant + " webhooks per tenant.");
            }
            UUID id = UUID.randomUUID();
            Secret secret = WebhookSignatures.newSecret();
            WebhookRepository.Row row = new WebhookRepository.Row(id, name, url.toString(), types, enabled,
                    seal(tenant, id, secret), now, now, actor, now, actor);
            try {
                repository.insert(tenant, row);
            } catch (DuplicateKeyException raced) {
                throw new CitadelException(ErrorCode.REQUEST_CONFLICT, "The webhook was created concurrently; try again.");
            }
            auditPut(tenant, row, true);
            return new PutResult(true, view(row, secret));
        });
    }

    public List<WebhookView> list(TenantId tenant) {
        return transactions.inTenant(tenant, () -> repository.list(tenant).stream().map(row -> view(row, null)).toList());
    }

    public WebhookView get(TenantId tenant, String name) {
        return transactions.inTenant(tenant, () -> view(row(tenant, name), null));
    }

    public void delete(TenantId tenant, String name) {
        transactions.inTenant(tenant, () -> {
            WebhookRepository.Row row = row(tenant, name);
            repository.delete(tenant, row.id());
            audit.append(AuditEvent.of(tenant, "monitoring.webhook.delete", "webhook", row.name(), AuditOutcome.SUCCESS,
                    Map.of("host", host(row.url()))));
        });
    }

    /** A new signing secret, answered once; deliveries from now on are signed with it, retries included. */
    public WebhookView rotateSecret(TenantId tenant, String name) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String actor = Principals.currentActor();
        return transactions.inTenant(tenant, () -> {
            WebhookRepository.Row row = row(tenant, name);
            Secret secret = WebhookSignatures.newSecret();
            repository.updateSecret(tenant, row.id(), seal(tenant, row.id(), secret), now, actor);
            audit.append(AuditEvent.of(tenant, "monitoring.webhook.secret_rotation", "webhook", row.name(),
                    AuditOutcome.SUCCESS, Map.of()));
            return view(repository.findById(tenant, row.id()).orElseThrow(), secret);
        });
    }

    /** Queues a test alert (type {@code test}, severity {@code info}) to this webhook only. */
    public TestDelivery test(TenantId tenant, String name) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return transactions.inTenant(tenant, () -> {
            WebhookRepository.Row row = row(tenant, name);
            if (!row.enabled()) {
                throw new CitadelException(ErrorCode.WEBHOOK_DISABLED, "The webhook is disabled; enable it to test it.");
            }
            UUID eventId = UUID.randomUUID();
            String payload = AlertPayload.json(eventId, "test", "info", tenant.value(), now,
                    "Test delivery from Citadel", new TreeMap<>(Map.of("webhook", row.name())));
            UUID deliveryId = deliveries.enqueue(tenant, row.id(), eventId, "test", payload);
            audit.append(AuditEvent.of(tenant, "monitoring.webhook.test", "webhook", row.name(), AuditOutcome.SUCCESS,
                    Map.of("event", eventId.toString())));
            return new TestDelivery(eventId, deliveryId);
        });
    }

    public DeliveryPage deliveries(TenantId tenant, String name, long before, int limit) {
        return transactions.inTenant(tenant, () -> {
            WebhookRepository.Row row = row(tenant, name);
            List<DeliveryView> items = deliveryLog.page(tenant, row.id(), before, limit).stream()
                    .map(d -> new DeliveryView(d.seq(), d.id(), d.eventId(), d.type(), d.state(), d.attempts(),
                            d.lastStatus(), d.lastError(), d.createdAt(), d.lastAttemptAt(),
                            DeliveryRepository.PENDING.equals(d.state()) ? d.nextAttemptAt() : null, d.finishedAt()))
                    .toList();
            return new DeliveryPage(items, items.size() == limit ? items.getLast().seq() : null);
        });
    }

    /**
     * Queues a delivery of an alert to each enabled webhook of its tenant subscribed to its type, in
     * the caller's transaction; answers how many.
     */
    int queue(Alert alert, UUID eventId, Instant occurredAt) {
        List<WebhookRepository.Row> subscribed = repository.enabled(alert.tenant()).stream()
                .filter(row -> row.accepts(alert.type())).toList();
        if (subscribed.isEmpty()) {
            return 0;
        }
        String payload = AlertPayload.json(eventId, alert.type(), alert.severity(), alert.tenant().value(), occurredAt,
                alert.summary(), alert.details());
        subscribed.forEach(row -> deliveries.enqueue(alert.tenant(), row.id(), eventId, alert.type(), payload));
        return subscribed.size();
    }

    private WebhookRepository.Row row(TenantId tenant, String name) {
        return (ResourceNames.isValid(name) ? repository.find(tenant, name) : Optional.<WebhookRepository.Row>empty())
                .orElseThrow(() -> new CitadelException(ErrorCode.WEBHOOK_NOT_FOUND, "No such webhook."));
    }

    private byte[] seal(TenantId tenant, UUID id, Secret secret) {
        return secrets.encrypt(tenant, secret.utf8(), WebhookDeliveries.secretPurpose(id));
    }

    private void auditPut(TenantId tenant, WebhookRepository.Row row, boolean created) {
        audit.append(AuditEvent.of(tenant, "monitoring.webhook.put", "webhook", row.name(), AuditOutcome.SUCCESS,
                Map.of("created", Boolean.toString(created), "host", host(row.url()), "types", String.join(",", row.types()),
                        "enabled", Boolean.toString(row.enabled()))));
    }

    private static WebhookRepository.Row changed(WebhookRepository.Row row, URI url, List<String> types, boolean enabled,
            Instant now, String actor) {
        return new WebhookRepository.Row(row.id(), row.name(), url.toString(), types, enabled, row.secretCiphertext(),
                row.secretCreatedAt(), row.createdAt(), row.createdBy(), now, actor);
    }

    private static List<String> types(List<String> requested, List<CitadelException.FieldProblem> problems) {
        if (requested == null) {
            return TYPES;
        }
        Set<String> chosen = new LinkedHashSet<>(requested);
        if (chosen.isEmpty() || !TYPES.containsAll(chosen) || chosen.size() != requested.size()) {
            problems.add(new CitadelException.FieldProblem("types",
                    "one or more of security, drift, bias, anomaly, each once"));
            return List.of();
        }
        return TYPES.stream().filter(chosen::contains).toList();
    }

    /** The host only: a URL's path or query may carry a token of the receiver's, which audit entries must not hold. */
    private static String host(String url) {
        String host = URI.create(url).getHost();
        return host.length() > 253 ? host.substring(0, 253) : host;
    }

    private static WebhookView view(WebhookRepository.Row row, Secret secret) {
        return new WebhookView(row.name(), row.url(), row.types(), row.enabled(), row.secretCreatedAt(), row.createdAt(),
                row.createdBy(), row.updatedAt(), row.updatedBy(), secret == null ? null : secret.reveal());
    }
}
