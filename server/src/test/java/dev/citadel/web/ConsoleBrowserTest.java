package dev.citadel.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.citadel.support.Api;
import dev.citadel.support.ExternalIdp;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.training.ClinicalRecords;

/**
 * The seed-002 flow in a real browser: sign in with TOTP, upload a CSV and see its PII findings,
 * train and watch the job finish, approve as a second user, deploy, see the charts, be refused
 * another tenant's pages, and read the audit trail with its chain status.
 */
class ConsoleBrowserTest extends IntegrationTest {

    private static final Path FAILURE_SHOTS = Path.of("target", "console-screenshots");
    private static final Path DOC_SHOTS = Path.of("..", "docs", "images");
    private static WebDriver driver;

    @RegisterExtension
    static final TestWatcher SCREENSHOT_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (driver != null) {
                Browser.screenshot(driver, FAILURE_SHOTS.resolve(context.getRequiredTestMethod().getName() + ".png"));
            }
        }
    };

    private WebDriverWait wait;

    @BeforeEach
    void browser() {
        Assumptions.assumeTrue(Browser.available(),
                "Chromium browser tests skipped: install Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)");
        if (driver == null) {
            driver = Browser.start(DATA_DIR.resolve("tls/server.crt"));
        }
        driver.manage().deleteAllCookies();
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    @AfterAll
    static void closeBrowser() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    @Test
    void aResearcherGoesFromCsvToMonitoredDeploymentInTheConsole() throws IOException {
        String tenant = fx.createTenant("console");
        String otherTenant = fx.createTenant("elsewhere");
        Fixtures.User scientist = fx.member(tenant, "data-scientist");
        fx.enrolTotp(scientist);
        Fixtures.User engineer = fx.member(tenant, "ml-engineer");
        fx.enrolTotp(engineer);
        Fixtures.User admin = fx.member(tenant, "tenant-admin");

        open("/console/tenants/" + tenant);
        assertThat(driver.getCurrentUrl()).as("unauthenticated pages go to sign-in").endsWith("/console/login");
        String anonymousSession = sessionCookie();

        signIn(scientist);
        assertThat(sessionCookie()).as("the session id changes at sign-in").isNotEqualTo(anonymousSession);
        assertThat(text(By.id("tenants"))).contains(tenant).doesNotContain(otherTenant);
        shoot("console-tenants");
        find(By.linkText(tenant)).click();
        find(By.linkText("Datasets")).click();

        Path csv = Files.createTempFile("admissions", ".csv");
        Files.writeString(csv, ClinicalRecords.csv(400, 7));
        find(By.id("dataset-name")).sendKeys("admissions");
        find(By.id("dataset-file")).sendKeys(csv.toAbsolutePath().toString());
        find(By.cssSelector("#upload-form button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("findings")));
        String findings = text(By.id("findings"));
        assertThat(findings).as("what was found and what was done, per column").contains("ssn", "email")
                .containsAnyOf("tokenize", "mask", "drop");
        assertThat(text(By.id("schema"))).contains("age", "readmitted");
        shoot("console-dataset-version");

        find(By.linkText("Train a model on this version")).click();
        find(By.id("model")).sendKeys("readmission");
        find(By.id("target")).sendKeys("readmitted");
        new Select(find(By.id("algorithm"))).selectByValue("logistic-regression");
        find(By.cssSelector("#train-form button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(120))
                .until(ExpectedConditions.textToBe(By.id("job-state"), "succeeded"));
        assertThat(find(By.id("job-progress")).getAttribute("value")).isEqualTo("100");
        shoot("console-training-job");
        find(By.id("model-version-link")).click();
        assertThat(text(By.id("stage"))).isEqualTo("candidate");
        assertThat(text(By.id("signature"))).startsWith("verified");
        assertThat(driver.findElements(By.id("approve-form"))).as("a data scientist may not approve").isEmpty();
        assertThat(text(By.id("confusion"))).contains("true \\ predicted", "false");
        String modelVersionPage = driver.getCurrentUrl();
        signOut();

        signIn(engineer);
        driver.get(modelVersionPage);
        find(By.id("reason")).sendKeys("reviewed metrics and lineage");
        find(By.cssSelector("#approve-form button")).click();
        wait.until(ExpectedConditions.textToBe(By.id("stage"), "approved"));
        find(By.cssSelector("#deploy-form button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("charts")));
        api.post("/api/v1/tenants/" + tenant + "/deployments/readmission/predictions", fx.token(engineer),
                Map.of("instances", List.of(Map.of("age", 61, "sex", "F", "ward", "icu", "diagnosis", "copd",
                        "systolic_bp", 130, "glucose", 150.0, "bmi", 27.5, "prior_admissions", 2, "length_of_stay", 5.2))));
        driver.navigate().refresh();
        wait.until(ExpectedConditions.attributeToBe(By.id("charts"), "data-rendered", "true"));
        assertThat(driver.findElements(By.cssSelector("#chart-requests canvas"))).as("request chart drawn").isNotEmpty();
        assertThat(driver.findElements(By.cssSelector("#chart-latency canvas"))).as("latency chart drawn").isNotEmpty();
        assertThat(text(By.id("chart-drift"))).isNotBlank();
        assertThat(text(By.id("request-figures"))).contains("predictions");
        shoot("console-deployment");
        driver.get(modelVersionPage);
        assertThat(text(By.id("lineage"))).contains("admissions v1", "readmission v1", "readmission");

        open("/console/tenants/" + otherTenant + "/datasets");
        String outsider = text(By.tagName("main"));
        open("/console/tenants/no-such-tenant-" + System.nanoTime() % 1000 + "/datasets");
        assertThat(outsider).as("another tenant's page reads exactly like a missing tenant's").contains("Tenant not found")
                .isEqualTo(text(By.tagName("main")));
        open("/console/tenants/" + tenant + "/members");
        assertThat(text(By.tagName("h1"))).as("a member without the action gets 403").isEqualTo("Access denied");
        signOut();

        signIn(admin);
        open("/console/tenants/" + tenant + "/audit");
        assertThat(text(By.id("chain-status"))).isEqualTo("valid");
        assertThat(text(By.id("audit-entries"))).contains("model.version.approve", "training.submit");
        shoot("console-audit");
        new Select(find(By.id("f-outcome"))).selectByValue("denied");
        find(By.cssSelector("#audit-filters button")).click();
        wait.until(ExpectedConditions.urlContains("outcome=denied"));
        assertThat(text(By.id("audit-entries"))).contains("access.denied").doesNotContain("training.submit");
        open("/console/tenants/" + tenant + "/members");
        assertThat(text(By.id("members"))).contains(scientist.username(), engineer.username());
        shoot("console-members");
        open("/console/tenants/" + tenant + "/service-accounts");
        find(By.id("sa-name")).sendKeys("nightly-batch");
        find(By.id("sa-role-predictor")).click();
        find(By.cssSelector("#sa-form button")).click();
        assertThat(text(By.id("client-secret"))).as("the new secret is shown once").isNotBlank();
        assertThat(text(By.id("service-accounts"))).contains("nightly-batch", "predictor");
        open("/console/tenants/" + tenant + "/keys");
        assertThat(text(By.id("keys"))).contains("yes");
        shoot("console-keys");
    }

    @Test
    void anOperatorSeesTenantsAndHealthButNoTenantContent() {
        String tenant = fx.createTenant("console-operator");
        signIn(new Fixtures.User(ADMIN_USER, ADMIN_PASSWORD), ADMIN_TOTP_SECRET);
        assertThat(driver.findElements(By.linkText("Platform view"))).isNotEmpty();
        find(By.linkText("Platform view")).click();
        assertThat(text(By.id("health"))).isEqualTo("UP");
        assertThat(text(By.id("platform-chain"))).startsWith("valid");
        shoot("console-platform");
        open("/console/tenants/" + tenant + "/datasets");
        assertThat(text(By.tagName("h1"))).as("no tenant content for a platform admin who is not a member")
                .isEqualTo("Access denied");
    }

    @Test
    void signingOutRevokesTheSessionAndAnExpiredTokenEndsIt() {
        String tenant = fx.createTenant("console-session");
        Fixtures.User viewer = fx.member(tenant, "viewer");
        fx.enrolTotp(viewer);
        signIn(viewer);
        String session = sessionCookie();
        signOut();
        assertThat(driver.getCurrentUrl()).contains("/console/login");
        driver.manage().addCookie(new Cookie.Builder(ConsoleHttp.COOKIE, session).path("/").isSecure(true).isHttpOnly(true)
                .sameSite("Strict").build());
        open("/console/tenants/" + tenant);
        assertThat(driver.getCurrentUrl()).as("the old session no longer works").endsWith("/console/login");

        signIn(viewer);
        open("/console/tenants/" + tenant);
        assertThat(text(By.tagName("h1"))).startsWith("Tenant");
        clock.advance(Duration.ofMinutes(16));
        open("/console/tenants/" + tenant);
        assertThat(driver.getCurrentUrl()).as("an expired access token ends the session").endsWith("/console/login");
    }

    @Test
    void aWrongCodeIsRefusedWithTheApisSingleMessage() {
        String tenant = fx.createTenant("console-denied");
        Fixtures.User viewer = fx.member(tenant, "viewer");
        fx.enrolTotp(viewer);
        open("/console/login");
        find(By.id("username")).sendKeys(viewer.username());
        find(By.id("password")).sendKeys(viewer.password());
        find(By.id("totp")).sendKeys("000000");
        find(By.cssSelector("#login-form button")).click();
        assertThat(text(By.id("login-error"))).isEqualTo("Invalid username, password or one-time code.");
        shoot("console-login");
    }

    @Test
    void signingInWithTheOrganisationsProviderLandsOnTheMappedTenant() {
        Api.Response tenant = api.post("/api/v1/tenants", fx.adminToken(),
                Api.json("id", ExternalIdp.TRUSTED_TENANT, "name", ExternalIdp.TRUSTED_TENANT, "region", "eu-west-1"));
        assertThat(tenant.status()).isIn(201, 409);
        ExternalIdp.get().nextLogin(ExternalIdp.Login.of("browser-scientist", List.of(ExternalIdp.SCIENTIST_GROUP),
                clock.instant()));
        open("/console/login");
        // the provider is another site: the Strict cookie comes back only after the callback reloads itself
        find(By.id("oidc-" + ExternalIdp.NAME)).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form.logout")));
        assertThat(driver.getCurrentUrl()).endsWith("/console");
        assertThat(driver.getPageSource()).contains(ExternalIdp.TRUSTED_TENANT);
        open("/console/tenants/" + ExternalIdp.TRUSTED_TENANT);
        assertThat(text(By.tagName("h1"))).isEqualTo(ExternalIdp.TRUSTED_TENANT);
    }

    private void signIn(Fixtures.User user) {
        signIn(user, fx.totpSecretOf(user));
    }

    private void signIn(Fixtures.User user, String secret) {
        open("/console/login");
        clock.advance(Duration.ofSeconds(30));
        find(By.id("username")).sendKeys(user.username());
        find(By.id("password")).sendKeys(user.password());
        if (secret != null) {
            find(By.id("totp")).sendKeys(fx.currentCode(secret));
        }
        find(By.cssSelector("#login-form button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form.logout")));
    }

    private void signOut() {
        find(By.cssSelector("form.logout button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-form")));
    }

    private void open(String path) {
        driver.get("https://localhost:" + port + path);
    }

    private String sessionCookie() {
        Cookie cookie = driver.manage().getCookieNamed(ConsoleHttp.COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    /** The element once it is present (after a click, the next page may still be loading). */
    private WebElement find(By by) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(by));
    }

    /** An element's text, read again if the page replaced the element meanwhile. */
    private String text(By by) {
        return wait.ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(by).getText().strip());
    }

    /**
     * Checks the page in the browser — every field labelled, landmarks present, nothing refused by the
     * Content-Security-Policy — and saves a screenshot for docs/images when asked
     * (-Dcitadel.screenshots.write=true).
     */
    private static void shoot(String name) {
        assertThat(Browser.accessibilityProblems(driver)).as(name).isEmpty();
        assertThat(Browser.consoleMessages(driver)).as(name + ": browser console")
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));
        if (Boolean.getBoolean("citadel.screenshots.write")) {
            Browser.screenshot(driver, DOC_SHOTS.resolve(name + ".png"));
        }
    }
}
