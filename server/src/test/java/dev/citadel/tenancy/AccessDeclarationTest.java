package dev.citadel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.citadel.support.IntegrationTest;

/** Deny by default, checked: every API handler declares exactly one access rule. */
class AccessDeclarationTest extends IntegrationTest {

    @Autowired
    ApplicationContext context;

    @Test
    void everyApiHandlerDeclaresExactlyOneAccessRule() {
        List<TenantEndpoints.Endpoint> endpoints = TenantEndpoints.all(context);
        assertThat(endpoints).hasSizeGreaterThan(15);
        assertThat(endpoints).allSatisfy(e -> assertThat(e.declarations()).as(e.toString()).isEqualTo(1));
    }

    @Test
    void everyTenantScopedHandlerGoesThroughTheTenantCheck() {
        assertThat(TenantEndpoints.all(context)).filteredOn(TenantEndpoints.Endpoint::tenantScoped)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.action()).as(e.toString()).isNotNull());
    }

    @Test
    void publicEndpointsAreOnlyTheAuthenticationEndpointsAndTheAuditKeys() {
        assertThat(TenantEndpoints.all(context)).filteredOn(e ->
                        e.handler().isAnnotationPresent(dev.citadel.platform.access.PublicEndpoint.class))
                .extracting(TenantEndpoints.Endpoint::path)
                .containsExactlyInAnyOrder("/api/v1/auth/jwks", "/api/v1/auth/login", "/api/v1/auth/revoke",
                        "/api/v1/auth/token", "/api/v1/audit/signing-keys");
    }
}
