package dev.citadel.monitoring.alerts;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Alert webhooks ({@code citadel.alerts.*}).
 *
 * @param allowPrivateTargets let webhooks call loopback, private, link-local and other internal
 *                            addresses — for tests and closed networks only (SSRF otherwise)
 * @param trustCertificates   a PEM file of CA certificates; when set, webhook targets are trusted only
 *                            if their chain ends at one of them (a closed network's CA, a test
 *                            receiver), instead of the JDK's default CAs
 * @param maxWebhooksPerTenant how many webhooks one tenant (or the platform) may configure
 * @param delivery            how deliveries are sent and retried
 */
@ConfigurationProperties("citadel.alerts")
@Validated
public record AlertsProperties(
        @DefaultValue("false") boolean allowPrivateTargets,
        String trustCertificates,
        @DefaultValue("20") @Min(1) @Max(1000) int maxWebhooksPerTenant,
        @DefaultValue @Valid Delivery delivery) {

    /** The PEM file of trusted certificates, or null for the JDK's default CAs. */
    java.nio.file.Path trustCertificatesFile() {
        return trustCertificates == null || trustCertificates.isBlank() ? null : java.nio.file.Path.of(trustCertificates);
    }

    /**
     * @param enabled        whether this process sends deliveries (alerts are queued either way)
     * @param pollInterval   how often the queue is polled for due deliveries
     * @param maxAttempts    attempts before a delivery is {@code failed}
     * @param backoffBase    the wait after the first failed attempt; it doubles after each one
     * @param backoffMax     the longest wait between two attempts
     * @param connectTimeout how long a TCP and TLS connection may take
     * @param requestTimeout how long the receiver may take to answer, headers included
     * @param batchSize      deliveries one poll claims and sends at once
     * @param lease          how long a claimed delivery is left to its sender before another replica
     *                       may take it over (longer than the two timeouts together)
     */
    public record Delivery(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("6") @Min(1) @Max(50) int maxAttempts,
            @DefaultValue("1s") Duration backoffBase,
            @DefaultValue("1h") Duration backoffMax,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("10s") Duration requestTimeout,
            @DefaultValue("16") @Min(1) @Max(256) int batchSize,
            @DefaultValue("60s") Duration lease) {

        public Delivery {
            if (connectTimeout != null && requestTimeout != null && lease != null
                    && lease.compareTo(connectTimeout.plus(requestTimeout)) <= 0) {
                throw new IllegalStateException(
                        "citadel.alerts.delivery.lease must be longer than connect-timeout and request-timeout together");
            }
            if (backoffBase != null && (backoffBase.isNegative() || backoffBase.isZero())) {
                throw new IllegalStateException("citadel.alerts.delivery.backoff-base must be positive");
            }
            if (backoffBase != null && backoffMax != null && backoffMax.compareTo(backoffBase) < 0) {
                throw new IllegalStateException("citadel.alerts.delivery.backoff-max must not be below backoff-base");
            }
        }
    }
}
