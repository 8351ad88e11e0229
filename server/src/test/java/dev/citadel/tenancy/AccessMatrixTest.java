package dev.citadel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.Role;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/**
 * Walks every tenant-scoped endpoint (read from the running application, so a new endpoint is
 * covered automatically) with no token, with principals of another tenant, with each role, with a
 * tenant-admin who has no MFA, and with the platform admin, and checks each answer against SPEC §2.
 */
class AccessMatrixTest extends IntegrationTest {

    @Autowired
    ApplicationContext context;

    @TestFactory
    Stream<DynamicTest> everyTenantEndpointAgainstEveryKindOfCaller() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("matrix");
        Fixtures.RoleTenant other = fx.tenantWithAllRoles("outsider");
        Fixtures.User subject = fx.member(tenant.id(), "viewer");
        Fixtures.User adminWithoutMfa = fx.createUser("nomfa");
        fx.grant(tenant.id(), adminWithoutMfa, "tenant-admin");
        String saToken = serviceAccountToken(other);
        Api.Response sa = api.post("/api/v1/tenants/" + tenant.id() + "/service-accounts", fx.token(tenant.member("tenant-admin")),
                Api.json("name", "matrix-sa", "roles", List.of("viewer")));
        assertThat(sa.status()).as(sa.toString()).isEqualTo(201);

        List<DynamicTest> tests = new ArrayList<>();
        for (TenantEndpoints.Endpoint endpoint : TenantEndpoints.all(context)) {
            if (!endpoint.tenantScoped()) {
                continue;
            }
            String path = endpoint.path().replace("{tenant}", tenant.id()).replace("{username}", subject.username())
                    .replace("{name}", endpoint.path().contains("/datasets/") ? "matrix-data" : "matrix-sa")
                    .replace("{version}", "1").replace("{id}", java.util.UUID.randomUUID().toString());
            Object body = bodyFor(endpoint);
            tests.add(DynamicTest.dynamicTest(endpoint + " without a token → 401", () ->
                    expect(call(endpoint.method(), path, null, body), 401, "auth.unauthenticated")));
            tests.add(DynamicTest.dynamicTest(endpoint + " by another tenant's admin → 404", () ->
                    expect(call(endpoint.method(), path, fx.token(other.member("tenant-admin")), body), 404, "tenant.not_found")));
            tests.add(DynamicTest.dynamicTest(endpoint + " by another tenant's service account → 404", () ->
                    expect(call(endpoint.method(), path, saToken, body), 404, "tenant.not_found")));
            tests.add(DynamicTest.dynamicTest(endpoint + " on a tenant that does not exist → 404", () ->
                    expect(call(endpoint.method(), path.replace("/tenants/" + tenant.id(), "/tenants/no-such-" + tenant.id()),
                            fx.token(tenant.member("tenant-admin")), body), 404, "tenant.not_found")));
            tests.add(DynamicTest.dynamicTest(endpoint + " by a tenant-admin without MFA → 403", () ->
                    expect(call(endpoint.method(), path, fx.token(adminWithoutMfa), body), 403, "access.denied")));
            for (Role role : Role.values()) {
                if (!role.isTenantRole()) {
                    continue;
                }
                boolean allowed = SpecPermissionTable.allows(role, endpoint.action());
                tests.add(DynamicTest.dynamicTest(endpoint + " by " + role + (allowed ? " → allowed" : " → 403"), () -> {
                    Api.Response response = call(endpoint.method(), path, fx.token(tenant.member(role.wireName())), body);
                    if (allowed) {
                        assertAllowed(response);
                    } else {
                        expect(response, 403, "access.denied");
                    }
                }));
            }
            boolean platformAllowed = PLATFORM_ADMIN_MAY.contains(endpoint.action());
            tests.add(DynamicTest.dynamicTest(endpoint + " by the platform admin" + (platformAllowed ? " → allowed" : " → 403"),
                    () -> {
                        Api.Response response = call(endpoint.method(), path, fx.adminToken(), body);
                        if (platformAllowed) {
                            assertAllowed(response);
                        } else {
                            expect(response, 403, "access.denied");
                        }
                    }));
        }
        assertThat(tests).hasSizeGreaterThan(50);
        return tests.stream();
    }

    /** SPEC §2: platform-admin creates tenants and manages any tenant's members and service accounts. */
    private static final java.util.Set<Action> PLATFORM_ADMIN_MAY = java.util.EnumSet.of(Action.TENANT_READ,
            Action.MEMBERS_MANAGE, Action.SERVICE_ACCOUNTS_MANAGE);

    private String serviceAccountToken(Fixtures.RoleTenant tenant) {
        Api.Response created = api.post("/api/v1/tenants/" + tenant.id() + "/service-accounts",
                fx.token(tenant.member("tenant-admin")), Api.json("name", "outsider-app", "roles", List.of("predictor", "viewer")));
        return api.postForm("/api/v1/auth/token", Map.of("grant_type", "client_credentials",
                        "client_id", created.json().path("clientId").asString(),
                        "client_secret", created.json().path("clientSecret").asString()), Map.of())
                .json().path("access_token").asString();
    }

    private static Object bodyFor(TenantEndpoints.Endpoint endpoint) {
        if (endpoint.path().endsWith("/members/{username}") && endpoint.method().equals("PUT")) {
            return Api.json("roles", List.of("viewer"));
        }
        if (endpoint.path().endsWith("/detokenization")) {
            return Api.json("tokens", List.of("tok_AAAA"));
        }
        if (endpoint.path().endsWith("/privacy")) {
            return Api.json("columns", java.util.Map.of("value", "mask"));
        }
        if (endpoint.path().endsWith("/service-accounts") && endpoint.method().equals("POST")) {
            return Api.json("name", "m" + java.util.UUID.randomUUID().toString().substring(0, 8), "roles", List.of("viewer"));
        }
        return "{}";
    }

    private Api.Response call(String method, String path, String token, Object body) {
        if (method.equals("POST") && path.contains("/models/") && path.endsWith("/versions")) {
            return api.postRaw(path, token, "multipart/form-data; boundary=matrix",
                    "--matrix\r\nContent-Disposition: form-data; name=\"model\"; filename=\"m.onnx\"\r\n\r\nx\r\n--matrix--\r\n");
        }
        if (method.equals("POST") && (path.endsWith("/versions") || path.endsWith("/batch-predictions"))) {
            return api.postRaw(path, token, "text/csv", "id,value\n1,2\n");
        }
        return switch (method) {
            case "GET" -> api.get(path, token);
            case "DELETE" -> api.delete(path, token);
            case "POST" -> api.post(path, token, body);
            case "PUT" -> api.put(path, token, body);
            default -> throw new IllegalArgumentException(method);
        };
    }

    private static void expect(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.code()).isEqualTo(code);
    }

    /** Allowed: the access check passed (the operation itself may still find nothing to do). */
    private static void assertAllowed(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isNotIn(401, 403).isLessThan(500);
        if (String.valueOf(response.header("Content-Type")).startsWith("application/x-ndjson")) {
            return; // a streamed export (JSON Lines): allowed, and not a problem response
        }
        assertThat(response.code()).as(response.toString()).isNotEqualTo("tenant.not_found");
    }
}
