package dev.citadel.monitoring.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook client: target checks and an HTTP client that follows no redirects and trusts what it is told to. */
@Configuration(proxyBeanMethods = false)
class AlertsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AlertsConfiguration.class);

    @Bean
    WebhookTargets webhookTargets(AlertsProperties properties) {
        if (properties.allowPrivateTargets()) {
            log.warn("citadel.alerts.allow-private-targets is on: webhooks may call loopback and internal addresses "
                    + "(tests and closed networks only)");
        }
        return new WebhookTargets(properties.allowPrivateTargets(), InetAddress::getAllByName);
    }

    @Bean
    WebhookSender webhookSender(AlertsProperties properties, WebhookTargets targets) {
        HttpClient.Builder client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.delivery().connectTimeout())
                .version(HttpClient.Version.HTTP_1_1);
        if (properties.trustCertificatesFile() != null) {
            client.sslContext(trusting(properties));
        }
        return new WebhookSender(client.build(), targets, properties.delivery().requestTimeout());
    }

    /** An SSL context that trusts exactly the certificates in the configured PEM file. */
    private static SSLContext trusting(AlertsProperties properties) {
        try (InputStream in = Files.newInputStream(properties.trustCertificatesFile())) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalStateException("citadel.alerts.trust-certificates (" + properties.trustCertificates()
                        + ") holds no certificate");
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trust.setCertificateEntry("webhook-ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            log.info("Webhook targets are trusted by the {} certificate(s) in {}", certificates.size(),
                    properties.trustCertificates());
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("citadel.alerts.trust-certificates (" + properties.trustCertificates()
                    + ") cannot be read as PEM certificates: " + e.getMessage(), e);
        }
    }
}
