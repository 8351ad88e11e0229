package dev.citadel.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.WebhookReceiver;

/**
 * The webhook API: the signing secret is answered once (at creation and rotation) and never again —
 * not in reads, the delivery log, the audit trail, the database in clear or the logs; URLs are
 * checked at the boundary; only the tenant's admins may manage webhooks, and every other tenant's
 * admin gets 404.
 */
class WebhookApiTest extends IntegrationTest {

    private WebhookReceiver receiver;

    @BeforeEach
    void start() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void theSecretIsAnsweredOnceAndAppearsNowhereElse() {
        Logger citadel = (Logger) LoggerFactory.getLogger("dev.citadel");
        Logger web = (Logger) LoggerFactory.getLogger("org.springframework.web");
        Level citadelLevel = citadel.getLevel();
        Level webLevel = web.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        citadel.setLevel(Level.DEBUG);
        web.setLevel(Level.DEBUG);
        try {
            String tenant = fx.createTenant("secrets");
            String token = fx.token(fx.member(tenant, "tenant-admin"));
            String base = "/api/v1/tenants/" + tenant + "/webhooks";

            Api.Response created = api.put(base + "/ops", token, Api.json("url", receiver.url("/ops")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String first = created.json().path("secret").asString();
            assertThat(first).matches("whsec_[A-Za-z0-9_-]{43}");
            assertThat(created.json().path("types")).hasSize(4);
            assertThat(created.json().path("enabled").asBoolean()).isTrue();

            Api.Response changed = api.put(base + "/ops", token, Api.json("url", receiver.url("/ops2"),
                    "types", List.of("security", "anomaly")));
            assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
            assertThat(changed.json().has("secret")).isFalse();
            assertThat(changed.json().path("url").asString()).isEqualTo(receiver.url("/ops2"));

            Api.Response rotated = api.post(base + "/ops/secret-rotation", token, "{}");
            assertThat(rotated.status()).isEqualTo(200);
            String second = rotated.json().path("secret").asString();
            assertThat(second).startsWith("whsec_").isNotEqualTo(first);

            Api.Response test = api.post(base + "/ops/test", token, "{}");
            assertThat(test.status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received().isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    api.get(base + "/ops/deliveries", token).json().path("items").get(0).path("state").asString()
                            .equals("delivered"));

            List<String> reads = new ArrayList<>();
            for (String path : List.of(base, base + "/ops", base + "/ops/deliveries")) {
                Api.Response read = api.get(path, token);
                assertThat(read.status()).as(read.toString()).isEqualTo(200);
                reads.add(read.body());
            }
            assertThat(reads).allSatisfy(body -> assertThat(body).doesNotContain(first).doesNotContain(second)
                    .doesNotContain("\"secret\"").doesNotContain("whsec_"));

            TenantId id = new TenantId(tenant);
            List<Map<String, Object>> rows = transactions.inTenant(id, () ->
                    jdbc.sql("select * from webhooks where tenant_id = ?").param(tenant).query().listOfRows());
            assertThat(rows).hasSize(1);
            for (Object value : rows.getFirst().values()) {
                String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : String.valueOf(value);
                assertThat(text).doesNotContain(first).doesNotContain(second).doesNotContain("whsec_");
            }
            assertThat(audit.latest(id, 50)).extracting(Object::toString)
                    .allSatisfy(entry -> assertThat(entry).doesNotContain(first).doesNotContain(second));
        } finally {
            root.detachAppender(logs);
            citadel.setLevel(citadelLevel);
            web.setLevel(webLevel);
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).allSatisfy(event -> {
            String text = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(text).doesNotContain("whsec_");
        });
    }

    @Test
    void urlsAndTypesAreCheckedAtTheBoundary() {
        String tenant = fx.createTenant("urls");
        String token = fx.token(fx.member(tenant, "tenant-admin"));
        String base = "/api/v1/tenants/" + tenant + "/webhooks/";
        Map<String, String> invalid = Map.of(
                "http://127.0.0.1:9/hook", "webhook.invalid_url",
                "https://user:password@127.0.0.1/hook", "webhook.invalid_url",
                "https://127.0.0.1/hook#part", "webhook.invalid_url",
                "https://127.0.0.1/" + "a".repeat(2048), "webhook.invalid_url",
                "not a url", "webhook.invalid_url");
        invalid.forEach((url, code) -> {
            Api.Response response = api.put(base + "hook", token, Api.json("url", url));
            assertThat(response.status()).as(url + " → " + response).isEqualTo(400);
            assertThat(response.code()).as(url).isEqualTo(code);
        });
        Api.Response types = api.put(base + "hook", token, Api.json("url", receiver.url("/"), "types", List.of("weather")));
        assertThat(types.code()).as(types.toString()).isEqualTo("webhook.invalid");
        Api.Response twice = api.put(base + "hook", token, Api.json("url", receiver.url("/"), "types", List.of("bias", "bias")));
        assertThat(twice.code()).as(twice.toString()).isEqualTo("webhook.invalid");
        Api.Response name = api.put(base + "Not_Valid", token, Api.json("url", receiver.url("/")));
        assertThat(name.code()).as(name.toString()).isEqualTo("webhook.invalid");
        assertThat(api.get(base + "hook", token).code()).isEqualTo("webhook.not_found");
        Api.Response disabled = api.put(base + "quiet", token, Api.json("url", receiver.url("/"), "enabled", false));
        assertThat(disabled.status()).isEqualTo(201);
        assertThat(api.post(base + "quiet/test", token, "{}").code()).isEqualTo("webhook.disabled");
    }

    @TestFactory
    Stream<DynamicTest> onlyTheTenantsAdminsManageWebhooksAndOtherTenantsGet404() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("hooks");
        Fixtures.RoleTenant other = fx.tenantWithAllRoles("hooks-other");
        String base = "/api/v1/tenants/" + tenant.id() + "/webhooks";
        Api.Response created = api.put(base + "/existing", fx.token(tenant.member("tenant-admin")),
                Api.json("url", receiver.url("/existing")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Map<String, Object> body = Api.json("url", receiver.url("/changed"));
        List<String[]> endpoints = List.of(new String[] {"PUT", base + "/existing"}, new String[] {"GET", base},
                new String[] {"GET", base + "/existing"}, new String[] {"POST", base + "/existing/secret-rotation"},
                new String[] {"POST", base + "/existing/test"}, new String[] {"GET", base + "/existing/deliveries"},
                new String[] {"DELETE", base + "/existing"});
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] endpoint : endpoints) {
            String label = endpoint[0] + " " + endpoint[1].replace(tenant.id(), "{tenant}");
            tests.add(DynamicTest.dynamicTest(label + " by another tenant's admin → 404 like a missing tenant", () -> {
                Api.Response outsider = call(endpoint[0], endpoint[1], fx.token(other.member("tenant-admin")), body);
                Api.Response missing = call(endpoint[0], endpoint[1].replace("/tenants/" + tenant.id(), "/tenants/no-such-tenant"),
                        fx.token(other.member("tenant-admin")), body);
                assertThat(outsider.status()).as(outsider.toString()).isEqualTo(404);
                assertThat(outsider.code()).isEqualTo("tenant.not_found");
                // exactly what a tenant that does not exist gets (the problem's instance echoes the path asked for)
                assertThat(outsider.status()).isEqualTo(missing.status());
                for (String field : List.of("code", "title", "detail", "type")) {
                    assertThat(outsider.json().path(field)).isEqualTo(missing.json().path(field));
                }
            }));
            for (String role : List.of("data-steward", "data-scientist", "ml-engineer", "predictor", "viewer", "auditor")) {
                tests.add(DynamicTest.dynamicTest(label + " by " + role + " → 403", () -> {
                    Api.Response response = call(endpoint[0], endpoint[1], fx.token(tenant.member(role)), body);
                    assertThat(response.status()).as(response.toString()).isEqualTo(403);
                    assertThat(response.code()).isEqualTo("access.denied");
                }));
            }
            tests.add(DynamicTest.dynamicTest(label + " by the platform admin (not a member) → 403", () ->
                    assertThat(call(endpoint[0], endpoint[1], fx.adminToken(), body).code()).isEqualTo("access.denied")));
        }
        tests.add(DynamicTest.dynamicTest("the tenant's admin may do all of it", () -> {
            String token = fx.token(tenant.member("tenant-admin"));
            for (String[] endpoint : endpoints) {
                Api.Response response = call(endpoint[0], endpoint[1], token, body);
                assertThat(response.status()).as(endpoint[0] + " " + endpoint[1] + " → " + response).isBetween(200, 204);
            }
        }));
        tests.add(DynamicTest.dynamicTest("a tenant admin cannot reach the platform's webhooks → 403", () -> {
            String token = fx.token(tenant.member("tenant-admin"));
            assertThat(api.get("/api/v1/platform/webhooks", token).code()).isEqualTo("access.denied");
            assertThat(api.put("/api/v1/platform/webhooks/x", token, body).code()).isEqualTo("access.denied");
        }));
        return tests.stream();
    }

    private Api.Response call(String method, String path, String token, Object body) {
        return switch (method) {
            case "GET" -> api.get(path, token);
            case "DELETE" -> api.delete(path, token);
            case "POST" -> api.post(path, token, "{}");
            case "PUT" -> api.put(path, token, body);
            default -> throw new IllegalArgumentException(method);
        };
    }
}
