package dev.citadel.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.citadel.CitadelApplication;
import dev.citadel.audit.AuditLog;

/**
 * Base of every test that needs the running server: one Spring context for the whole suite (same
 * configuration everywhere, so the context cache reuses it), real HTTPS on a random port, a real
 * database (H2, or PostgreSQL with {@code -Dcitadel.test.db=postgresql}), a clock tests can advance.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = CitadelApplication.class)
@Import(IntegrationTest.TestBeans.class)
@org.junit.jupiter.api.Tag("db")
public abstract class IntegrationTest {

    public static final String ADMIN_USER = "root-admin";
    public static final String ADMIN_PASSWORD = "bootstrap-admin-passphrase-for-tests-only";
    public static final String ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    public static final Path DATA_DIR = createDataDir();

    /** What {@code test.gated} jobs wait for; a test sets a fresh latch and opens it. */
    public static final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> GATE =
            new java.util.concurrent.atomic.AtomicReference<>(new java.util.concurrent.CountDownLatch(0));

    /** Predictions on a deployment of this name make {@link TestBeans#failingTestObserver} throw. */
    public static final String FAILING_OBSERVER_DEPLOYMENT = "observer-fails";

    @LocalServerPort
    protected int port;

    @Autowired
    protected TestClock clock;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected SwitchableAuditLog auditLog;

    @Autowired
    protected dev.citadel.platform.db.TenantTransactions transactions;

    protected Api api;
    protected Fixtures fx;
    protected AuditProbe audit;

    @DynamicPropertySource
    static void citadelProperties(DynamicPropertyRegistry registry) {
        registry.add("citadel.data-dir", DATA_DIR::toString);
        registry.add("citadel.keys.master-passphrase", () -> "test-master-passphrase-not-for-production");
        registry.add("citadel.auth.bootstrap.admin-user", () -> ADMIN_USER);
        registry.add("citadel.auth.bootstrap.admin-password", () -> ADMIN_PASSWORD);
        registry.add("citadel.auth.bootstrap.admin-totp-secret", () -> ADMIN_TOTP_SECRET);
        ExternalIdp.get().properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("citadel.datasets.max-decompressed-size", () -> "64MB");
        registry.add("citadel.datasets.max-xlsx-size", () -> "8MB");
        // the free plan's serving limits are small so ServingLimitsTest can reach them
        registry.add("citadel.serving.limits.plans.free.principal-per-minute", () -> "5");
        registry.add("citadel.serving.limits.plans.free.tenant-per-minute", () -> "8");
        // drift windows DriftTest fills with a few requests
        registry.add("citadel.monitoring.drift.window-instances", () -> "200");
        registry.add("citadel.monitoring.drift.min-instances", () -> "50");
        // small enough that AuditCheckpointTest crosses the mark; the tamper tests stay below it
        registry.add("citadel.audit.checkpoint-every", () -> "25");
        // tracing on, every request sampled, exported over OTLP/HTTP to a real receiver (TracingTest)
        registry.add("management.tracing.export.enabled", () -> "true");
        registry.add("management.tracing.sampling.probability", () -> "1.0");
        registry.add("management.opentelemetry.tracing.export.otlp.endpoint", () -> OtlpReceiver.get().tracesEndpoint());
        registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "200ms");
        // the suite's bursts of requests are not anomalies; failed authentications are (AnomalyTest)
        registry.add("citadel.monitoring.anomalies.request-floor", () -> "1000000");
        registry.add("citadel.monitoring.anomalies.data-access-floor", () -> "1000000");
        registry.add("citadel.monitoring.anomalies.auth-failure-floor", () -> "40");
        // every test tenant gets its own metrics tag (TenantTagsTest covers the cap)
        registry.add("citadel.monitoring.metrics.max-tenant-tags", () -> "1000000");
        // the periodic checkpoint never runs by itself in tests; AuditCheckpointTest calls it
        registry.add("citadel.audit.checkpoint-interval", () -> "24h");
        // alert webhooks: test receivers run on loopback over HTTPS with a certificate of their own,
        // the only one webhook deliveries trust; retries wait milliseconds, not seconds
        registry.add("citadel.alerts.allow-private-targets", () -> "true");
        registry.add("citadel.alerts.trust-certificates", () -> WebhookReceiver.certificateFile().toString());
        registry.add("citadel.alerts.delivery.backoff-base", () -> "5ms");
        registry.add("citadel.alerts.delivery.poll-interval", () -> "250ms");
        // mutual TLS (MutualTlsTest): the listener asks for a client certificate from the test CA;
        // every other test's client presents none and is served as before
        registry.add("citadel.tls.client-auth", () -> "want");
        registry.add("citadel.tls.client-ca", () -> ClientPki.caFile().toString());
        if (TestDatabase.isPostgres()) {
            TestDatabase.createDatabase("citadel_suite").forEach((k, v) -> registry.add(k, () -> v));
        }
    }

    @BeforeEach
    void connect() {
        api = new Api(URI.create("https://localhost:" + port), DATA_DIR.resolve("tls/server.crt"));
        fx = Fixtures.shared(api, clock);
        audit = new AuditProbe(jdbc, transactions);
    }

    /** Sign-in throttling is per source address, and every test signs in from 127.0.0.1. */
    @org.junit.jupiter.api.AfterEach
    void forgetFailedSignIns() {
        jdbc.sql("delete from login_attempts").update();
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("citadel-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestBeans {

        @Bean
        @Primary
        TestClock testClock() {
            return new TestClock();
        }

        @Bean
        @Primary
        SwitchableAuditLog switchableAuditLog(@Qualifier("jdbcAuditLog") AuditLog delegate) {
            return new SwitchableAuditLog(delegate);
        }

        /** A job kind that always fails, to prove a failing job never stalls the queue. */
        @Bean
        dev.citadel.platform.jobs.JobHandler failingTestJob() {
            return new dev.citadel.platform.jobs.JobHandler() {
                @Override
                public String kind() {
                    return "test.fail";
                }

                @Override
                public java.util.Map<String, String> run(dev.citadel.platform.jobs.JobContext context) {
                    context.progress("about to fail", 40);
                    throw new IllegalStateException("secret internal detail that must not reach the tenant");
                }
            };
        }

        /** A job kind that runs until {@link #GATE} opens (fair-scheduling tests). */
        @Bean
        dev.citadel.platform.jobs.JobHandler gatedTestJob() {
            return new dev.citadel.platform.jobs.JobHandler() {
                @Override
                public String kind() {
                    return "test.gated";
                }

                @Override
                public java.util.Map<String, String> run(dev.citadel.platform.jobs.JobContext context)
                        throws InterruptedException {
                    GATE.get().await(60, java.util.concurrent.TimeUnit.SECONDS);
                    return java.util.Map.of();
                }
            };
        }

        /** A prediction observer that fails on one deployment name, to prove a failing observer never fails a request. */
        @Bean
        dev.citadel.deployments.PredictionObserver failingTestObserver() {
            return batch -> {
                if (batch.deployment().equals(FAILING_OBSERVER_DEPLOYMENT)) {
                    throw new IllegalStateException("observer failure injected by the test");
                }
            };
        }

        /** A job kind that echoes its parameters. */
        @Bean
        dev.citadel.platform.jobs.JobHandler echoTestJob() {
            return new dev.citadel.platform.jobs.JobHandler() {
                @Override
                public String kind() {
                    return "test.echo";
                }

                @Override
                public java.util.Map<String, String> run(dev.citadel.platform.jobs.JobContext context) {
                    return context.params();
                }
            };
        }
    }
}
