package dev.citadel.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/** The console's session, CSRF and header properties, checked over HTTP without a browser. */
class ConsoleSecurityTest extends IntegrationTest {

    @Test
    void theSessionCookieIsHostOnlySecureHttpOnlyAndStrict() {
        Api.Response page = new ConsoleHttp(api).get("/console/login");
        assertThat(page.status()).isEqualTo(200);
        assertThat(ConsoleHttp.setCookies(page)).anySatisfy(cookie -> assertThat(cookie)
                .startsWith(ConsoleHttp.COOKIE + "=").contains("Path=/", "Secure", "HttpOnly", "SameSite=Strict")
                .doesNotContain("Domain="));
    }

    @Test
    void consoleResponsesForbidInlineScriptAndStyleAndFraming() {
        Api.Response page = new ConsoleHttp(api).get("/console/login");
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.body()).doesNotContain("style=\"").doesNotContain("<script>").doesNotContain("onclick");
        assertThat(page.header("Strict-Transport-Security")).contains("max-age=");
    }

    @Test
    void unauthenticatedPagesRedirectToSignInAndHtmxIsToldToNavigate() {
        ConsoleHttp console = new ConsoleHttp(api);
        Api.Response page = console.get("/console/tenants/anything/datasets");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).endsWith("/console/login");
        Api.Response fragment = api.send(api.request("/console/tenants/anything/training/x/progress", null)
                .header("HX-Request", "true").GET());
        assertThat(fragment.status()).isEqualTo(401);
        assertThat(fragment.header("HX-Redirect")).isEqualTo("/console/login");
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefusedAndWithItSignsIn() {
        String tenant = fx.createTenant("console-csrf");
        Fixtures.User viewer = fx.member(tenant, "viewer");
        ConsoleHttp console = new ConsoleHttp(api);
        Api.Response page = console.get("/console/login");
        String anonymous = console.session();
        Map<String, String> form = Map.of("username", viewer.username(), "password", viewer.password());

        Api.Response forged = console.postForm("/console/login", form);
        assertThat(forged.status()).as("no CSRF token: refused before the password is even checked").isEqualTo(403);
        assertThat(forged.body()).contains("Request refused");

        Map<String, String> withToken = new java.util.HashMap<>(form);
        withToken.put("_csrf", ConsoleHttp.csrfToken(page));
        Api.Response signedIn = console.postForm("/console/login", withToken);
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.header("Location")).endsWith("/console");
        assertThat(console.session()).as("a new session id at sign-in").isNotEqualTo(anonymous);
        Api.Response home = console.get("/console/tenants/" + tenant);
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains(tenant);

        Api.Response logoutWithoutToken = console.postForm("/console/logout", Map.of());
        assertThat(logoutWithoutToken.status()).isEqualTo(403);
        String before = console.session();
        Api.Response stillIn = console.get("/console/tenants/" + tenant);
        assertThat(stillIn.status()).as("still signed in").isEqualTo(200);
        assertThat(console.session()).as("the session id is stable between sign-in and sign-out").isEqualTo(before);
        Api.Response signedOut = console.postForm("/console/logout", Map.of("_csrf", ConsoleHttp.csrfToken(stillIn)));
        assertThat(signedOut.status()).as(signedOut.body()).isEqualTo(302);
        assertThat(signedOut.header("Location")).contains("/console/login");
        assertThat(console.get("/console/tenants/" + tenant).status()).as("signed out").isEqualTo(302);
    }

    @Test
    void theConsoleAnswersOutsidersWithTheMissingTenantPageAndTheApiStaysStateless() {
        String tenant = fx.createTenant("console-outsider");
        String other = fx.createTenant("console-other");
        Fixtures.User viewer = fx.member(tenant, "viewer");
        ConsoleHttp console = new ConsoleHttp(api);
        Api.Response page = console.get("/console/login");
        clock.advance(Duration.ofSeconds(1));
        console.postForm("/console/login", Map.of("username", viewer.username(), "password", viewer.password(),
                "_csrf", ConsoleHttp.csrfToken(page)));

        Api.Response outsider = console.get("/console/tenants/" + other + "/models");
        Api.Response missing = console.get("/console/tenants/no-such-tenant-here/models");
        assertThat(outsider.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(withoutCsrfToken(outsider.body())).as("same page for both").isEqualTo(withoutCsrfToken(missing.body()));
        assertThat(console.get("/console/tenants/" + tenant + "/audit").status()).as("viewer may not read audit")
                .isEqualTo(403);
        Api.Response invalid = console.get("/console/tenants/" + tenant + "/models/" + "x".repeat(65));
        assertThat(invalid.status()).as("invalid input is a 400 page, not a server error").isEqualTo(400);
        assertThat(invalid.body()).contains("Invalid request").doesNotContain("Exception");

        Api.Response api401 = api.send(api.request("/api/v1/users/me/tenants", null)
                .header("Cookie", ConsoleHttp.COOKIE + "=" + console.session()).GET());
        assertThat(api401.status()).as("a console cookie authenticates nothing in the API").isEqualTo(401);
        assertThat(ConsoleHttp.setCookies(api401)).isEmpty();
    }

    /** The masked CSRF token differs on every response; the rest of the page must not. */
    private static String withoutCsrfToken(String html) {
        return html.replaceAll("<meta name=\"csrf-token\"[^>]*>", "").replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "");
    }

    @Test
    void anAuditorSeesTheComplianceReportAndTheAccessReviewAViewerDoesNot() {
        String tenant = fx.createTenant("console-compliance");
        Fixtures.User auditor = fx.member(tenant, "auditor");
        Fixtures.User viewer = fx.member(tenant, "viewer");
        ConsoleHttp console = signedIn(auditor);
        Api.Response page = console.get("/console/tenants/" + tenant + "/compliance");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Tamper-evident audit trail", "164.312(b)", "Access review", viewer.username(),
                "no MFA", "href=\"/console/tenants/" + tenant + "/compliance\"");
        assertThat(page.body()).doesNotContain("style=\"", "<script>");
        ConsoleHttp other = signedIn(viewer);
        assertThat(other.get("/console/tenants/" + tenant + "/compliance").status()).isEqualTo(403);
        assertThat(other.get("/console/tenants/" + tenant).body()).doesNotContain("/compliance\"");
    }

    @Test
    void aTenantAdminRemovesAMemberWithACsrfProtectedForm() {
        String tenant = fx.createTenant("console-members");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Fixtures.User leaving = fx.member(tenant, "viewer");
        ConsoleHttp console = new ConsoleHttp(api);
        Api.Response login = console.get("/console/login");
        clock.advance(java.time.Duration.ofSeconds(30));
        Api.Response signedIn = console.postForm("/console/login", Map.of("username", admin.username(), "password",
                admin.password(), "totp", fx.currentCode(fx.totpSecretOf(admin)), "_csrf", ConsoleHttp.csrfToken(login)));
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(302);
        Api.Response page = console.get("/console/tenants/" + tenant + "/members");
        assertThat(page.body()).contains("Remove " + leaving.username());
        String removal = "/console/tenants/" + tenant + "/members/" + leaving.username() + "/removal";
        assertThat(console.postForm(removal, Map.of()).status()).as("no CSRF token").isEqualTo(403);
        Api.Response removed = console.postForm(removal, Map.of("_csrf", ConsoleHttp.csrfToken(page)));
        assertThat(removed.status()).isEqualTo(302);
        assertThat(console.get("/console/tenants/" + tenant + "/members").body()).doesNotContain(leaving.username());
    }

    private ConsoleHttp signedIn(Fixtures.User user) {
        ConsoleHttp console = new ConsoleHttp(api);
        Api.Response page = console.get("/console/login");
        Api.Response signedIn = console.postForm("/console/login", Map.of("username", user.username(), "password",
                user.password(), "_csrf", ConsoleHttp.csrfToken(page)));
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(302);
        return console;
    }
}
