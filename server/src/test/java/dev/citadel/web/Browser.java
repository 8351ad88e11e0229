package dev.citadel.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.logging.Level;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. Selenium Manager never runs
 * (the driver and browser paths are explicit), and the server's self-signed certificate is trusted
 * by pinning its public key, not by ignoring certificate errors.
 */
final class Browser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {}

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static WebDriver start(Path serverCertificate) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,768", "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--ignore-certificate-errors-spki-list=" + spkiPin(serverCertificate));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Base64 SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's SPKI allow-list takes it. */
    static String spkiPin(Path certificate) {
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
            return Base64.getEncoder().encodeToString(digest);
        } catch (IOException | CertificateException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the server certificate " + certificate, e);
        }
    }

    /** The browser console's messages since the last call (CSP violations are reported there). */
    static List<String> consoleMessages(WebDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    /**
     * Problems with the page itself: inputs without a label, missing landmarks. Run in the page, so
     * it sees the DOM the browser built.
     */
    static List<String> accessibilityProblems(WebDriver driver) {
        Object problems = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("""
                const problems = [];
                for (const field of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
                  if (!field.labels || field.labels.length === 0) {
                    problems.push('no label: ' + (field.id || field.name));
                  }
                }
                for (const landmark of ['header', 'main']) {
                  if (!document.querySelector(landmark)) { problems.push('no ' + landmark); }
                }
                if (!document.title) { problems.push('no title'); }
                return problems;
                """);
        return ((List<?>) problems).stream().map(String::valueOf).toList();
    }

    static void screenshot(WebDriver driver, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            // a failed screenshot must not hide the test's own failure
        }
    }
}
