package dev.citadel.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.crypto.BlobContext;
import dev.citadel.monitoring.alerts.Alert;
import dev.citadel.monitoring.alerts.Alerts;
import dev.citadel.monitoring.alerts.AlertsProperties;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.storage.EncryptedBlobs;
import dev.citadel.storage.StoredBlob;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.WebhookReceiver;
import tools.jackson.databind.JsonNode;

/**
 * Alerts delivered to a real HTTPS receiver: a security event becomes a signed alert that verifies
 * with the secret from creation (and fails when replayed or modified), types route alerts, failing
 * receivers are retried with backoff and finally given up on (audited), the platform has webhooks of
 * its own. Retries wait on the test clock, which each poll moves on.
 */
class WebhookDeliveryTest extends IntegrationTest {

    @Autowired
    EncryptedBlobs blobs;

    @Autowired
    Alerts alerts;

    @Autowired
    AlertsProperties properties;

    private WebhookReceiver receiver;
    private String tenant;
    private Fixtures.User admin;

    @BeforeEach
    void setUp() {
        receiver = WebhookReceiver.start();
        tenant = fx.createTenant("alerts");
        admin = fx.member(tenant, "tenant-admin");
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aTamperedBlobReachesTheWebhookAsASignedSecurityAlert() throws Exception {
        String secret = create("soc", "/soc", List.of("security"));
        BlobContext context = new BlobContext(new TenantId(tenant), BlobContext.BlobKind.REPORT, UUID.randomUUID(), 1);
        StoredBlob stored = blobs.write(context, new ByteArrayInputStream("quarterly figures".getBytes(StandardCharsets.UTF_8)));
        Path file = DATA_DIR.resolve("blobs").resolve(stored.storeKey());
        byte[] tampered = Files.readAllBytes(file);
        tampered[tampered.length / 2] ^= 0x01;
        Files.write(file, tampered);
        assertThatThrownBy(() -> blobs.readAllBytes(context)).isInstanceOfSatisfying(CitadelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_INTEGRITY_FAILED));

        WebhookReceiver.Received delivery = awaitDeliveries(1).getFirst();
        assertThat(delivery.header(":method")).isEqualTo("POST");
        assertThat(delivery.header(":path")).isEqualTo("/soc");
        assertThat(delivery.header("Content-Type")).isEqualTo("application/json");
        JsonNode alert = Api.JSON.readTree(delivery.body());
        assertThat(alert.propertyNames()).containsExactly("id", "type", "severity", "tenant", "occurredAt", "summary",
                "details");
        assertThat(alert.path("type").asString()).isEqualTo("security");
        assertThat(alert.path("severity").asString()).isEqualTo("critical");
        assertThat(alert.path("tenant").asString()).isEqualTo(tenant);
        assertThat(alert.path("id").asString()).isEqualTo(delivery.header("Citadel-Webhook-Id"));
        assertThat(alert.path("details").path("action").asString()).isEqualTo("security.integrity_failure");
        assertThat(alert.path("details").path("targetId").asString()).isEqualTo(context.objectId() + "/v1");

        String signature = delivery.header("Citadel-Signature");
        long now = clock.instant().getEpochSecond();
        assertThat(signature).matches("t=[0-9]+,v1=[0-9a-f]{64}");
        assertThat(WebhookVerification.timestamp(signature)).isBetween(now - 60, now);
        assertThat(WebhookVerification.verify(secret, signature, delivery.body(), now)).isTrue();
        // replayed six minutes later: stale
        assertThat(WebhookVerification.verify(secret, signature, delivery.body(), now + 360)).isFalse();
        // a body changed in transit, or signed with another secret: no match
        byte[] modified = delivery.text().replace("critical", "info").getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookVerification.verify(secret, signature, modified, now)).isFalse();
        assertThat(WebhookVerification.verify(secret + "x", signature, delivery.body(), now)).isFalse();
        assertThat(WebhookVerification.verify(secret, signature.replaceFirst("t=[0-9]+",
                "t=" + (WebhookVerification.timestamp(signature) + 1)), delivery.body(), now))
                .as("the timestamp is signed too").isFalse();

        // the receiver has answered; the outcome is recorded just after
        awaitState("soc", "delivered");
        JsonNode log = deliveries("soc").path("items");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).path("eventId").asString()).isEqualTo(alert.path("id").asString());
        assertThat(log.get(0).path("type").asString()).isEqualTo("security");
        assertThat(log.get(0).path("state").asString()).isEqualTo("delivered");
        assertThat(log.get(0).path("attempts").asInt()).isEqualTo(1);
        assertThat(log.get(0).path("lastStatus").asInt()).isEqualTo(204);
        assertThat(audit.latest(new TenantId(tenant), 10)).extracting(e -> e.get("action"))
                .contains("security.integrity_failure", "monitoring.alert");
    }

    @Test
    void alertsGoOnlyToEnabledWebhooksSubscribedToTheirType() {
        String secret = create("drift-only", "/drift", List.of("drift"));
        create("security-only", "/security", List.of("security"));
        Api.Response off = api.put(base() + "/switched-off", fx.token(admin),
                Api.json("url", receiver.url("/off"), "types", List.of("drift"), "enabled", false));
        assertThat(off.status()).as(off.toString()).isEqualTo(201);

        alerts.raise(new Alert(new TenantId(tenant), "drift", "warning", "PSI over threshold on feature age",
                new TreeMap<>(Map.of("deployment", "readmission", "psi", "0.31"))));

        WebhookReceiver.Received delivery = awaitDeliveries(1).getFirst();
        assertThat(delivery.header(":path")).isEqualTo("/drift");
        JsonNode alert = Api.JSON.readTree(delivery.body());
        assertThat(alert.path("type").asString()).isEqualTo("drift");
        assertThat(alert.path("details").path("psi").asString()).isEqualTo("0.31");
        assertThat(WebhookVerification.verify(secret, delivery.header("Citadel-Signature"), delivery.body(),
                clock.instant().getEpochSecond())).isTrue();
        // deliveries are queued when the alert is raised: the others got none at all
        assertThat(deliveries("security-only").path("items")).isEmpty();
        assertThat(deliveries("switched-off").path("items")).isEmpty();
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheAlertOnTheThirdAttempt() {
        String secret = create("flaky", "/flaky", null);
        receiver.answer(500, 500);
        alerts.raise(new Alert(new TenantId(tenant), "anomaly", "warning", "Failed sign-ins 12x over baseline",
                new TreeMap<>(Map.of("principal", "user:42"))));

        JsonNode delivery = awaitState("flaky", "delivered");
        assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.path("lastStatus").asInt()).isEqualTo(204);
        assertThat(delivery.path("lastError").isNull() || delivery.path("lastError").isMissingNode()).isTrue();
        List<WebhookReceiver.Received> received = receiver.received();
        assertThat(received).extracting(WebhookReceiver.Received::answered).containsExactly(500, 500, 204);
        assertThat(received).extracting(r -> r.header("Citadel-Webhook-Id")).containsOnly(delivery.path("eventId").asString());
        assertThat(received).extracting(WebhookReceiver.Received::text).containsOnly(received.getFirst().text());
        for (WebhookReceiver.Received attempt : received) {
            assertThat(WebhookVerification.verify(secret, attempt.header("Citadel-Signature"), attempt.body(),
                    WebhookVerification.timestamp(attempt.header("Citadel-Signature")))).isTrue();
        }
        assertThat(audit.latest(new TenantId(tenant), 10)).extracting(e -> e.get("action"))
                .doesNotContain("monitoring.webhook.failed");
    }

    @Test
    void aReceiverThatAlwaysFailsEndsFailedAfterTheLastAttemptAndTheFailureIsAudited() {
        create("dead", "/dead", List.of("bias"));
        receiver.answerByDefault(503);
        alerts.raise(new Alert(new TenantId(tenant), "bias", "warning", "Disparate impact 0.62 on sex",
                new TreeMap<>(Map.of("model", "readmission", "version", "3"))));

        JsonNode delivery = awaitState("dead", "failed");
        int maxAttempts = properties.delivery().maxAttempts();
        assertThat(delivery.path("attempts").asInt()).isEqualTo(maxAttempts);
        assertThat(delivery.path("lastStatus").asInt()).isEqualTo(503);
        assertThat(delivery.path("lastError").asString()).isEqualTo("HttpStatus");
        assertThat(delivery.path("finishedAt").isNull()).isFalse();
        assertThat(receiver.received()).hasSize(maxAttempts);
        List<Map<String, Object>> failures = audit.latest(new TenantId(tenant), 20).stream()
                .filter(e -> "monitoring.webhook.failed".equals(e.get("action"))).toList();
        assertThat(failures).hasSize(1);
        assertThat(failures.getFirst().get("target_id")).isEqualTo("dead");
        assertThat(failures.getFirst().get("outcome")).isEqualTo("failure");
        assertThat((String) failures.getFirst().get("details")).contains(delivery.path("id").asString())
                .contains("\"lastStatus\":\"503\"");
    }

    @Test
    void aTestDeliveryIsSignedWithTheCurrentSecret() {
        String first = create("rotating", "/rotating", null);
        Api.Response rotated = api.post(base() + "/rotating/secret-rotation", fx.token(admin), "{}");
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String second = rotated.json().path("secret").asString();
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);

        Api.Response queued = api.post(base() + "/rotating/test", fx.token(admin), "{}");
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        WebhookReceiver.Received delivery = awaitDeliveries(1).getFirst();
        JsonNode alert = Api.JSON.readTree(delivery.body());
        assertThat(alert.path("type").asString()).isEqualTo("test");
        assertThat(alert.path("id").asString()).isEqualTo(queued.json().path("eventId").asString());
        long now = clock.instant().getEpochSecond();
        assertThat(WebhookVerification.verify(second, delivery.header("Citadel-Signature"), delivery.body(), now)).isTrue();
        assertThat(WebhookVerification.verify(first, delivery.header("Citadel-Signature"), delivery.body(), now)).isFalse();
    }

    @Test
    void thePlatformsWebhookGetsThePlatformsAlerts() {
        String name = Fixtures.unique("ops");
        Api.Response created = api.put("/api/v1/platform/webhooks/" + name, fx.adminToken(),
                Api.json("url", receiver.url("/platform"), "types", List.of("security")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String secret = created.json().path("secret").asString();
        try {
            alerts.raise(new Alert(TenantId.PLATFORM, "security", "warning", "Sign-in failures from many addresses",
                    new TreeMap<>(Map.of("count", "250"))));
            WebhookReceiver.Received delivery = awaitDeliveries(1).getFirst();
            assertThat(Api.JSON.readTree(delivery.body()).path("tenant").asString()).isEqualTo("_platform");
            assertThat(WebhookVerification.verify(secret, delivery.header("Citadel-Signature"), delivery.body(),
                    clock.instant().getEpochSecond())).isTrue();
            String log = "/api/v1/platform/webhooks/" + name + "/deliveries";
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                    api.get(log, fx.adminToken()).json().path("items").get(0).path("state").asString().equals("delivered"));
            assertThat(api.get("/api/v1/platform/webhooks/" + name, fx.adminToken()).body()).doesNotContain(secret);
        } finally {
            assertThat(api.delete("/api/v1/platform/webhooks/" + name, fx.adminToken()).status()).isEqualTo(204);
        }
    }

    private String base() {
        return "/api/v1/tenants/" + tenant + "/webhooks";
    }

    /** Creates a webhook pointing at the receiver and answers its secret. */
    private String create(String name, String path, List<String> types) {
        Map<String, Object> body = types == null ? Api.json("url", receiver.url(path))
                : Api.json("url", receiver.url(path), "types", types);
        Api.Response response = api.put(base() + "/" + name, fx.token(admin), body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().path("secret").asString();
    }

    private JsonNode deliveries(String name) {
        Api.Response response = api.get(base() + "/" + name + "/deliveries", fx.token(admin));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private List<WebhookReceiver.Received> awaitDeliveries(int count) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> receiver.received().size() >= count);
        return receiver.received();
    }

    /** Waits for the webhook's newest delivery to reach {@code state}, moving the clock past each backoff. */
    private JsonNode awaitState(String name, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            clock.advance(Duration.ofSeconds(1));
            JsonNode items = api.get(base() + "/" + name + "/deliveries", fx.token(admin)).json().path("items");
            return !items.isEmpty() && items.get(0).path("state").asString().equals(state);
        });
        return deliveries(name).path("items").get(0);
    }
}
