package dev.citadel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.citadel.support.Api;
import dev.citadel.support.ClientPki;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/**
 * Mutual TLS for service accounts (RFC 8705): an account registered with a certificate subject gets
 * tokens with its client certificate alone, those tokens are bound to that certificate, and a token
 * without its certificate is useless. The certificates come from a CA the test made
 * ({@link ClientPki}); the suite's listener runs with {@code citadel.tls.client-auth=want}.
 */
class MutualTlsTest extends IntegrationTest {

    private String tenant;
    private String adminToken;
    private String subjectDn;
    private String clientId;

    @BeforeEach
    void certificateBoundServiceAccount() {
        tenant = fx.createTenant("mtls");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        adminToken = fx.token(admin);
        subjectDn = "CN=scoring." + tenant + ",O=Acme Test";
        Api.Response created = api.post("/api/v1/tenants/" + tenant + "/service-accounts", adminToken,
                Api.json("name", "scoring-mtls", "roles", List.of("viewer"), "tlsClientAuth", Map.of("subjectDn", subjectDn)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("tlsClientAuth").path("subjectDn").asString()).isEqualTo(subjectDn);
        assertThat(created.json().path("clientSecret").isMissingNode() || created.json().path("clientSecret").isNull())
                .as("no secret for a certificate-bound account").isTrue();
        clientId = created.json().path("clientId").asString();
    }

    @Test
    void theTokenIsBoundToTheCertificateAndUselessWithoutIt() throws Exception {
        ClientPki.Credential credential = ClientPki.trusted().issue(subjectDn);
        Api mtls = withCertificate(credential);

        Api.Response token = tokenRequest(mtls, Map.of("client_id", clientId));
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        String access = token.json().path("access_token").asString();
        assertThat(claims(access).path("cnf").path("x5t#S256").asString())
                .as("RFC 8705 §3.1").isEqualTo(thumbprint(credential));

        assertThat(mtls.get("/api/v1/tenants/" + tenant, access).status()).as("same certificate").isEqualTo(200);

        Api.Response withoutCertificate = api.get("/api/v1/tenants/" + tenant, access);
        assertThat(withoutCertificate.status()).isEqualTo(401);
        assertThat(withoutCertificate.code()).isEqualTo("auth.certificate_mismatch");
        assertThat(withoutCertificate.header("WWW-Authenticate")).contains("invalid_token");

        // same subject, same CA, another key: a stolen token is useless without the account's own key
        Api other = withCertificate(ClientPki.trusted().issue(subjectDn));
        Api.Response withAnotherCertificate = other.get("/api/v1/tenants/" + tenant, access);
        assertThat(withAnotherCertificate.status()).isEqualTo(401);
        assertThat(withAnotherCertificate.code()).isEqualTo("auth.certificate_mismatch");
        assertThat(mtls.get("/api/v1/tenants/" + tenant, access).status()).as("still works with its own").isEqualTo(200);
    }

    @Test
    void aCertificateOfAnotherSubjectOrFromAnUntrustedCaGetsNoToken() {
        Api.Response otherSubject = tokenRequest(withCertificate(ClientPki.trusted().issue("CN=intruder,O=Acme Test")),
                Map.of("client_id", clientId));
        assertThat(otherSubject.status()).isEqualTo(401);
        assertThat(otherSubject.code()).isEqualTo("auth.invalid_client");

        Api rogue = withCertificate(ClientPki.untrusted().issue(subjectDn));
        Api.Response untrusted;
        try {
            untrusted = tokenRequest(rogue, Map.of("client_id", clientId));
        } catch (IllegalStateException handshakeRefused) {
            return; // the listener ended the handshake: a certificate outside citadel.tls.client-ca never gets in
        }
        assertThat(untrusted.status()).as(untrusted.toString()).isEqualTo(401);
    }

    @Test
    void aCertificateBoundAccountCannotUseASecret() {
        Api.Response guessedSecret = tokenRequest(api, Map.of("client_id", clientId, "client_secret", "cs_guess"));
        Api.Response nothing = tokenRequest(api, Map.of("client_id", clientId));
        Api.Response both = tokenRequest(withCertificate(ClientPki.trusted().issue(subjectDn)),
                Map.of("client_id", clientId, "client_secret", "cs_guess"));
        for (Api.Response response : List.of(guessedSecret, nothing, both)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(401);
            assertThat(response.code()).isEqualTo("auth.invalid_client");
        }
        Api.Response rotation = api.post("/api/v1/tenants/" + tenant + "/service-accounts/scoring-mtls/secret-rotation",
                adminToken, "{}");
        assertThat(rotation.status()).as(rotation.toString()).isEqualTo(409);
        assertThat(rotation.body()).doesNotContain("cs_");
    }

    @Test
    void aSecretAccountGetsABoundTokenOnlyWhenItPresentsACertificate() throws Exception {
        Api.Response created = api.post("/api/v1/tenants/" + tenant + "/service-accounts", adminToken,
                Api.json("name", "secret-app", "roles", List.of("viewer")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("tlsClientAuth").isMissingNode() || created.json().path("tlsClientAuth").isNull())
                .isTrue();
        Map<String, String> credentials = Map.of("client_id", created.json().path("clientId").asString(),
                "client_secret", created.json().path("clientSecret").asString());

        String plain = tokenRequest(api, credentials).json().path("access_token").asString();
        assertThat(claims(plain).has("cnf")).isFalse();
        assertThat(api.get("/api/v1/tenants/" + tenant, plain).status()).isEqualTo(200);

        ClientPki.Credential credential = ClientPki.trusted().issue("CN=secret-app." + tenant);
        Api mtls = withCertificate(credential);
        assertThat(mtls.get("/api/v1/tenants/" + tenant, plain).status()).as("an unbound token works anywhere").isEqualTo(200);
        String bound = tokenRequest(mtls, credentials).json().path("access_token").asString();
        assertThat(claims(bound).path("cnf").path("x5t#S256").asString()).isEqualTo(thumbprint(credential));
        assertThat(mtls.get("/api/v1/tenants/" + tenant, bound).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/tenants/" + tenant, bound).code()).isEqualTo("auth.certificate_mismatch");
    }

    @Test
    void aSecretAccountSwitchedToACertificateLosesItsSecretAndEveryEarlierToken() {
        Api.Response created = api.post("/api/v1/tenants/" + tenant + "/service-accounts", adminToken,
                Api.json("name", "legacy-app", "roles", List.of("viewer")));
        String legacyId = created.json().path("clientId").asString();
        Map<String, String> secret = Map.of("client_id", legacyId, "client_secret", created.json().path("clientSecret").asString());
        String secretToken = tokenRequest(api, secret).json().path("access_token").asString();
        assertThat(api.get("/api/v1/tenants/" + tenant, secretToken).status()).isEqualTo(200);

        String first = "CN=legacy-app." + tenant + ",O=Acme Test";
        Api.Response bound = api.put("/api/v1/tenants/" + tenant + "/service-accounts/legacy-app/tls-client-auth",
                adminToken, Api.json("subjectDn", first));
        assertThat(bound.status()).as(bound.toString()).isEqualTo(200);
        assertThat(bound.json().path("tlsClientAuth").path("subjectDn").asString()).isEqualTo(first);
        assertThat(bound.body()).doesNotContain("cs_");
        assertThat(api.get("/api/v1/tenants/" + tenant, secretToken).code()).as("earlier tokens die").isEqualTo("auth.invalid_token");
        assertThat(tokenRequest(api, secret).code()).as("the secret dies").isEqualTo("auth.invalid_client");

        Api firstCertificate = withCertificate(ClientPki.trusted().issue(first));
        String firstToken = tokenRequest(firstCertificate, Map.of("client_id", legacyId)).json().path("access_token").asString();
        assertThat(firstCertificate.get("/api/v1/tenants/" + tenant, firstToken).status()).isEqualTo(200);

        // moving to another subject (a renamed application, a new CA hierarchy) cuts the old certificate off
        String second = "CN=legacy-app-2." + tenant + ",O=Acme Test";
        assertThat(api.put("/api/v1/tenants/" + tenant + "/service-accounts/legacy-app/tls-client-auth", adminToken,
                Api.json("subjectDn", second)).status()).isEqualTo(200);
        assertThat(firstCertificate.get("/api/v1/tenants/" + tenant, firstToken).status()).isEqualTo(401);
        assertThat(tokenRequest(firstCertificate, Map.of("client_id", legacyId)).status()).isEqualTo(401);
        assertThat(tokenRequest(withCertificate(ClientPki.trusted().issue(second)), Map.of("client_id", legacyId)).status())
                .isEqualTo(200);

        Api.Response badDn = api.put("/api/v1/tenants/" + tenant + "/service-accounts/legacy-app/tls-client-auth",
                adminToken, Api.json("subjectDn", "no equals sign"));
        assertThat(badDn.status()).isEqualTo(400);
        Api.Response unknown = api.put("/api/v1/tenants/" + tenant + "/service-accounts/nobody/tls-client-auth",
                adminToken, Api.json("subjectDn", second));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("service_account.not_found");
    }

    @Test
    void aSubjectThatIsNotADistinguishedNameIsRefused() {
        Api.Response response = api.post("/api/v1/tenants/" + tenant + "/service-accounts", adminToken,
                Api.json("name", "bad-dn", "roles", List.of("viewer"), "tlsClientAuth", Map.of("subjectDn", "no equals sign")));
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body()).contains("tlsClientAuth.subjectDn");
    }

    @Test
    void anotherTenantSeesTheAccountAsNotFoundAndItsCertificateOpensNothingHere() {
        String other = fx.createTenant("mtls-other");
        String otherAdmin = fx.token(fx.member(other, "tenant-admin"));
        Api.Response foreign = api.get("/api/v1/tenants/" + tenant + "/service-accounts/scoring-mtls", otherAdmin);
        Api.Response missing = api.get("/api/v1/tenants/" + tenant + "-none/service-accounts/scoring-mtls", otherAdmin);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo(missing.code());
        Api.Response foreignBind = api.put("/api/v1/tenants/" + tenant + "/service-accounts/scoring-mtls/tls-client-auth",
                otherAdmin, Api.json("subjectDn", "CN=takeover"));
        assertThat(foreignBind.status()).isEqualTo(404);
        assertThat(foreignBind.code()).isEqualTo(missing.code());
        Api.Response ownMissing = api.get("/api/v1/tenants/" + other + "/service-accounts/scoring-mtls", otherAdmin);
        assertThat(ownMissing.status()).isEqualTo(404);
        assertThat(ownMissing.code()).isEqualTo("service_account.not_found");

        String otherDn = "CN=scoring." + other + ",O=Acme Test";
        Api.Response created = api.post("/api/v1/tenants/" + other + "/service-accounts", otherAdmin,
                Api.json("name", "scoring-mtls", "roles", List.of("viewer"), "tlsClientAuth", Map.of("subjectDn", otherDn)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Api otherCertificate = withCertificate(ClientPki.trusted().issue(otherDn));
        Api.Response crossed = tokenRequest(otherCertificate, Map.of("client_id", clientId));
        assertThat(crossed.status()).as("the other tenant's certificate with this tenant's client id").isEqualTo(401);
        String otherToken = tokenRequest(otherCertificate, Map.of("client_id", created.json().path("clientId").asString()))
                .json().path("access_token").asString();
        assertThat(otherCertificate.get("/api/v1/tenants/" + tenant, otherToken).status()).isEqualTo(404);
    }

    private Api withCertificate(ClientPki.Credential credential) {
        return credential.api(api.base(), DATA_DIR.resolve("tls/server.crt"));
    }

    private static Api.Response tokenRequest(Api client, Map<String, String> form) {
        Map<String, String> body = new HashMap<>(form);
        body.put("grant_type", "client_credentials");
        return client.postForm("/api/v1/auth/token", body, Map.of());
    }

    private static JsonNode claims(String jwt) {
        return Api.JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static String thumbprint(ClientPki.Credential credential) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(credential.certificate().getEncoded()));
    }
}
