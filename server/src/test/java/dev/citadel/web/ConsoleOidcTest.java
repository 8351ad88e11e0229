package dev.citadel.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.ExternalIdp;
import dev.citadel.support.IntegrationTest;

/**
 * Console sign-in through an external OpenID Connect provider, over HTTP against the real test
 * provider on loopback: authorization-code flow with PKCE, state and nonce, and the provider's
 * access token then judged like any API bearer token.
 */
class ConsoleOidcTest extends IntegrationTest {

    private static final String START = "/console/login/oidc/" + ExternalIdp.NAME;
    private static final Pattern PARAM = Pattern.compile("[?&](code|state)=([^&]*)");

    private final ExternalIdp idp = ExternalIdp.get();

    @BeforeEach
    void trustedTenant() {
        Api.Response response = api.post("/api/v1/tenants", fx.adminToken(),
                Api.json("id", ExternalIdp.TRUSTED_TENANT, "name", ExternalIdp.TRUSTED_TENANT, "region", "eu-west-1"));
        assertThat(response.status()).isIn(201, 409);
    }

    @Test
    void theSignInPageOffersOnlyProvidersWithAConsoleClient() {
        Api.Response page = new ConsoleHttp(api).get("/console/login");
        assertThat(page.body()).contains("id=\"oidc-" + ExternalIdp.NAME + "\"", "Sign in with " + ExternalIdp.DISPLAY_NAME,
                "href=\"" + START + "\"");
        assertThat(page.body()).as("a provider without client id only federates API tokens")
                .doesNotContain("oidc-" + ExternalIdp.API_ONLY_NAME);
        assertThat(new ConsoleHttp(api).get("/console/login/oidc/" + ExternalIdp.API_ONLY_NAME).status()).isEqualTo(404);
        assertThat(new ConsoleHttp(api).get("/console/login/oidc/no-such-provider").status()).isEqualTo(404);
    }

    @Test
    void aFullSignInLandsOnTheConsoleWithTheMappedTenantOnly() {
        String other = fx.createTenant("oidc-other");
        ConsoleHttp console = new ConsoleHttp(api);
        console.get("/console/login");
        String anonymous = console.session();
        idp.nextLogin(login("dr-oidc", c -> { }));

        Api.Response start = console.get(START);
        assertThat(start.status()).isEqualTo(302);
        URI authorization = URI.create(start.header("Location"));
        assertThat(authorization.toString()).startsWith(idp.issuer())
                .contains("code_challenge_method=S256", "client_id=" + ExternalIdp.CLIENT_ID, "scope=openid")
                .containsPattern("state=[A-Za-z0-9_-]{43}&").containsPattern("nonce=[A-Za-z0-9_-]{43}&")
                .containsPattern("code_challenge=[A-Za-z0-9_-]{43}&")
                .contains("redirect_uri=" + java.net.URLEncoder.encode(api.base() + START + "/callback",
                        java.nio.charset.StandardCharsets.UTF_8));
        URI callback = ExternalIdp.follow(authorization);
        assertThat(callback.toString()).startsWith(api.base() + START + "/callback?code=");

        Api.Response signedIn = console.get(pathAndQuery(callback));
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(302);
        assertThat(signedIn.header("Location")).endsWith("/console");
        assertThat(console.session()).as("a new session id at sign-in").isNotEqualTo(anonymous);
        var audited = audit.byRequest(TenantId.PLATFORM, signedIn.header("X-Request-Id"));
        assertThat(audited).anySatisfy(event -> {
            assertThat(event.get("action")).isEqualTo("auth.login");
            assertThat(event.get("outcome").toString()).isEqualToIgnoringCase("success");
            assertThat(event.get("details").toString()).contains("oidc", ExternalIdp.NAME);
        });

        Api.Response home = console.get("/console");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains(ExternalIdp.TRUSTED_TENANT).doesNotContain(other);
        assertThat(console.get("/console/tenants/" + ExternalIdp.TRUSTED_TENANT).status()).isEqualTo(200);
        assertThat(console.get("/console/tenants/" + other).status()).as("another tenant is not found").isEqualTo(404);
        assertThat(console.get("/console/tenants/" + ExternalIdp.TRUSTED_TENANT + "/members").status())
                .as("data-scientist, as mapped: no member management").isEqualTo(403);

        Api.Response replay = console.get(pathAndQuery(callback));
        assertThat(replay.status()).as("the same callback again: the state was used up").isEqualTo(401);
        assertThat(replay.body()).contains("expired or was not started in this browser");
    }

    @Test
    void aCallbackWithAnotherStateIsRefusedAndUsesUpTheAttempt() {
        ConsoleHttp console = new ConsoleHttp(api);
        idp.nextLogin(login("state-victim", c -> { }));
        URI callback = ExternalIdp.follow(URI.create(console.get(START).header("Location")));
        String forged = pathAndQuery(callback).replaceAll("state=[^&]*", "state=" + "A".repeat(43));

        Api.Response refused = console.get(forged);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("expired or was not started in this browser").doesNotContain("Exception");
        assertThat(reason(refused)).isEqualTo("state");
        assertThat(console.get(pathAndQuery(callback)).status()).as("the genuine callback comes too late").isEqualTo(401);
        assertThat(console.get("/console").status()).as("not signed in").isEqualTo(302);
    }

    @Test
    void aReplayedCodeIsRefusedByTheProvider() {
        ConsoleHttp first = new ConsoleHttp(api);
        idp.nextLogin(login("replayer", c -> { }));
        URI used = ExternalIdp.follow(URI.create(first.get(START).header("Location")));
        assertThat(first.get(pathAndQuery(used)).status()).isEqualTo(302);

        ConsoleHttp second = new ConsoleHttp(api);
        idp.nextLogin(login("replayer", c -> { }));
        URI fresh = ExternalIdp.follow(URI.create(second.get(START).header("Location")));
        Api.Response replay = second.get(pathAndQuery(fresh).replaceAll("code=[^&]*", "code=" + param(used, "code")));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(idp.lastTokenError()).isEqualTo("code");
        assertThat(reason(replay)).isEqualTo("exchange_invalid_grant");
        assertThat(second.get("/console").status()).isEqualTo(302);
    }

    @Test
    void anInterceptedCodeIsUselessWithoutItsPkceVerifier() {
        ConsoleHttp victim = new ConsoleHttp(api);
        idp.nextLogin(login("pkce-victim", c -> { }));
        URI victimCallback = ExternalIdp.follow(URI.create(victim.get(START).header("Location")));

        ConsoleHttp attacker = new ConsoleHttp(api);
        idp.nextLogin(login("pkce-attacker", c -> { }));
        URI attackerCallback = ExternalIdp.follow(URI.create(attacker.get(START).header("Location")));
        String injected = pathAndQuery(attackerCallback).replaceAll("code=[^&]*", "code=" + param(victimCallback, "code"));

        Api.Response refused = attacker.get(injected);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(idp.lastTokenError()).as("the provider checked the verifier").isEqualTo("pkce");
        assertThat(reason(refused)).isEqualTo("exchange_invalid_grant");
        assertThat(attacker.get("/console").status()).isEqualTo(302);
    }

    @Test
    void anIdTokenWithAnotherNonceOrAudienceIsRefused() {
        Map<String, Consumer<JWTClaimsSet.Builder>> cases = Map.of(
                "id_token_nonce", c -> c.claim("nonce", "B".repeat(43)),
                "id_token_audience", c -> c.audience("another-client"),
                "id_token_expired", c -> c.expirationTime(Date.from(clock.instant().minusSeconds(120))));
        cases.forEach((expected, wrong) -> {
            ConsoleHttp console = new ConsoleHttp(api);
            idp.nextLogin(login("id-token-check", wrong));
            Api.Response refused = console.get(pathAndQuery(ExternalIdp.follow(URI.create(console.get(START).header("Location")))));
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body()).contains("did not complete the sign-in");
            assertThat(reason(refused)).isEqualTo(expected);
            assertThat(console.get("/console").status()).isEqualTo(302);
        });
    }

    @Test
    void anAccessTokenForAnotherPersonOrAudienceIsRefused() {
        Map<String, Consumer<JWTClaimsSet.Builder>> cases = Map.of(
                "token_mismatch", c -> c.subject("someone-else"),
                "access_token_audience", c -> c.audience(ExternalIdp.CLIENT_ID));
        cases.forEach((expected, wrong) -> {
            ConsoleHttp console = new ConsoleHttp(api);
            idp.nextLogin(new ExternalIdp.Login("substituted", List.of(ExternalIdp.SCIENTIST_GROUP), clock.instant(),
                    c -> { }, wrong, false));
            Api.Response refused = console.get(pathAndQuery(ExternalIdp.follow(URI.create(console.get(START).header("Location")))));
            assertThat(refused.status()).isEqualTo(401);
            assertThat(reason(refused)).isEqualTo(expected);
            assertThat(console.get("/console").status()).isEqualTo(302);
        });
    }

    @Test
    void consentDeniedAtTheProviderShowsWhyAndAnUntrustedTenantGroupIsRefused() {
        ConsoleHttp console = new ConsoleHttp(api);
        idp.nextLogin(new ExternalIdp.Login("denier", List.of(), clock.instant(), c -> { }, c -> { }, true));
        Api.Response denied = console.get(pathAndQuery(ExternalIdp.follow(URI.create(console.get(START).header("Location")))));
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.body()).contains("Sign-in was cancelled at " + ExternalIdp.DISPLAY_NAME);

        idp.nextLogin(ExternalIdp.Login.of("mallory", List.of("citadel:" + ExternalIdp.UNTRUSTED_TENANT + ":tenant-admin"),
                clock.instant()));
        Api.Response untrusted = console.get(pathAndQuery(ExternalIdp.follow(URI.create(console.get(START).header("Location")))));
        assertThat(untrusted.status()).isEqualTo(401);
        assertThat(untrusted.body()).contains("account cannot be used to sign in to Citadel");
        assertThat(reason(untrusted)).isEqualTo("access_token_untrusted_tenant");
    }

    @Test
    void aCallbackWithoutTheStrictCookieReloadsItselfFromCitadelsOwnPage() {
        ConsoleHttp console = new ConsoleHttp(api);
        idp.nextLogin(login("cross-site", c -> { }));
        URI callback = ExternalIdp.follow(URI.create(console.get(START).header("Location")));

        Api.Response bounce = api.send(api.request(pathAndQuery(callback), null).GET());
        assertThat(bounce.status()).isEqualTo(200);
        assertThat(ConsoleHttp.setCookies(bounce)).as("no session is made or replaced").isEmpty();
        Matcher refresh = Pattern.compile("<meta http-equiv=\"refresh\" content=\"0;url=([^\"]+)\"").matcher(bounce.body());
        assertThat(refresh.find()).as(bounce.body()).isTrue();
        String next = refresh.group(1).replace("&amp;", "&");
        assertThat(next).startsWith(START + "/callback?code=").endsWith("&resumed=1");

        Api.Response signedIn = console.get(next);
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(302);
        assertThat(signedIn.header("Location")).endsWith("/console");
        assertThat(console.get("/console/tenants/" + ExternalIdp.TRUSTED_TENANT).status()).isEqualTo(200);
        assertThat(api.send(api.request(next, null).GET()).status()).as("no second bounce").isEqualTo(401);
    }

    private ExternalIdp.Login login(String subject, Consumer<JWTClaimsSet.Builder> idToken) {
        return new ExternalIdp.Login(subject, List.of(ExternalIdp.SCIENTIST_GROUP), clock.instant(), idToken, c -> { },
                false);
    }

    /** The audited reason of a refused sign-in (the audit entry must say oidc and the provider). */
    private String reason(Api.Response response) {
        var events = audit.byRequest(TenantId.PLATFORM, response.header("X-Request-Id"));
        assertThat(events).anySatisfy(event -> {
            assertThat(event.get("action")).isEqualTo("auth.login");
            assertThat(event.get("outcome").toString()).isEqualToIgnoringCase("failure");
        });
        String details = events.stream().filter(e -> "auth.login".equals(e.get("action"))).findFirst().orElseThrow()
                .get("details").toString().replace("\"", "").replace(":", "=").replace(" ", "");
        assertThat(details).contains("method=oidc", "provider=" + ExternalIdp.NAME).doesNotContain("eyJ");
        Matcher reason = Pattern.compile("reason=([a-z_]+)").matcher(details);
        assertThat(reason.find()).as(details).isTrue();
        return reason.group(1);
    }

    private static String pathAndQuery(URI uri) {
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }

    private static String param(URI uri, String name) {
        Matcher m = PARAM.matcher("?" + uri.getRawQuery());
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new IllegalStateException("no " + name);
    }
}
