package dev.citadel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/**
 * Every platform operation (read from the running application) refuses anonymous callers (401),
 * tenant members (403), and a platform-admin who has not signed in with TOTP (403).
 */
class PlatformEndpointsTest extends IntegrationTest {

    @Autowired
    ApplicationContext context;

    @TestFactory
    Stream<DynamicTest> onlyAnMfaPlatformAdminPassesPlatformOperations() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("platformops");
        Fixtures.User adminWithoutTotp = fx.createUser("padmin");
        assertThat(api.post("/api/v1/users", fx.adminToken(), Api.json("username", adminWithoutTotp.username() + "-p",
                "password", adminWithoutTotp.password(), "platformAdmin", true)).status()).isEqualTo(201);
        Fixtures.User pendingAdmin = new Fixtures.User(adminWithoutTotp.username() + "-p", adminWithoutTotp.password());
        List<DynamicTest> tests = new ArrayList<>();
        for (TenantEndpoints.Endpoint endpoint : TenantEndpoints.all(context)) {
            if (!endpoint.handler().isAnnotationPresent(PlatformOperation.class)) {
                continue;
            }
            String path = endpoint.path().replace("{username}", "nobody-here").replace("{name}", "nobody-here")
                    .replace("{id}", "nobody-here");
            tests.add(DynamicTest.dynamicTest(endpoint + " anonymous → 401", () ->
                    assertThat(call(endpoint.method(), path, null).status()).isEqualTo(401)));
            tests.add(DynamicTest.dynamicTest(endpoint + " tenant-admin → 403", () ->
                    assertThat(call(endpoint.method(), path, fx.token(tenant.member("tenant-admin"))).code())
                            .isEqualTo("access.denied")));
            tests.add(DynamicTest.dynamicTest(endpoint + " platform-admin without TOTP → 403", () ->
                    assertThat(call(endpoint.method(), path, fx.token(pendingAdmin)).code()).isEqualTo("access.denied")));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(3 * 9);
        return tests.stream();
    }

    private Api.Response call(String method, String path, String token) {
        return switch (method) {
            case "GET" -> api.get(path, token);
            case "POST" -> api.post(path, token, "{}");
            default -> api.method(method, path, token);
        };
    }
}
