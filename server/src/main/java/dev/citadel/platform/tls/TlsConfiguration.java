package dev.citadel.platform.tls;

import java.nio.file.Path;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.citadel.platform.config.CitadelProperties;
import dev.citadel.platform.config.DataDirectory;

/**
 * HTTPS for the one listener: TLS 1.3 and 1.2 only, forward-secret AEAD cipher suites only, with
 * the operator's certificate or a self-signed one generated on first start.
 */
@Configuration(proxyBeanMethods = false)
class TlsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TlsConfiguration.class);

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** TLS 1.3 suites (all forward-secret) and the ECDHE AEAD suites of TLS 1.2. */
    static final String[] CIPHERS = {
        "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    };

    @Bean
    ServerCertificate serverCertificate(CitadelProperties properties, DataDirectory dataDirectory, Clock clock) throws Exception {
        CitadelProperties.Tls tls = properties.tls();
        if (tls.certificate() != null && !tls.certificate().isBlank()) {
            if (tls.privateKey() == null || tls.privateKey().isBlank()) {
                throw new IllegalStateException("citadel.tls.private-key must be set with citadel.tls.certificate");
            }
            Path cert = Path.of(tls.certificate());
            return new ServerCertificate(cert, Path.of(tls.privateKey()),
                    SelfSignedCertificates.fingerprint(SelfSignedCertificates.read(cert)), false);
        }
        ServerCertificate generated = SelfSignedCertificates.loadOrCreate(dataDirectory.directory("tls"), clock);
        log.info("TLS: self-signed certificate {} (SHA-256 {})", generated.certificate(), generated.sha256Fingerprint());
        return generated;
    }

    /** The client CA bundle, checked at start-up: a file with at least one CA certificate. */
    static Path clientCa(CitadelProperties.Tls tls) {
        if (tls.clientCa() == null || tls.clientCa().isBlank()) {
            throw new IllegalStateException("citadel.tls.client-ca must name a PEM bundle of client CAs with "
                    + "citadel.tls.client-auth=want");
        }
        Path bundle = Path.of(tls.clientCa());
        try (var in = java.nio.file.Files.newInputStream(bundle)) {
            var certificates = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalStateException("citadel.tls.client-ca holds no certificate: " + bundle);
            }
            for (var certificate : certificates) {
                if (((java.security.cert.X509Certificate) certificate).getBasicConstraints() < 0) {
                    throw new IllegalStateException("citadel.tls.client-ca must hold CA certificates only: " + bundle);
                }
            }
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot read citadel.tls.client-ca " + bundle, e);
        }
        return bundle;
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> httpsOnly(CitadelProperties properties,
            ServerCertificate certificate) {
        return factory -> {
            if (!properties.tls().enabled()) {
                if (properties.tls().clientAuth() != CitadelProperties.ClientAuth.NONE) {
                    throw new IllegalStateException("citadel.tls.client-auth=want needs citadel.tls.enabled=true: "
                            + "client certificates are verified by Citadel's own listener");
                }
                log.warn("TLS is DISABLED (citadel.tls.enabled=false): only run like this behind a TLS-terminating proxy");
                return;
            }
            Ssl ssl = new Ssl();
            ssl.setEnabled(true);
            ssl.setCertificate(certificate.certificate().toUri().toString());
            ssl.setCertificatePrivateKey(certificate.privateKey().toUri().toString());
            ssl.setEnabledProtocols(PROTOCOLS);
            ssl.setCiphers(CIPHERS);
            if (properties.tls().clientAuth() == CitadelProperties.ClientAuth.WANT) {
                Path clientCa = clientCa(properties.tls());
                // WANT, never NEED: browsers and password users connect without a certificate; a
                // certificate that is presented must chain to one of these CAs or the handshake fails
                ssl.setClientAuth(Ssl.ClientAuth.WANT);
                ssl.setTrustCertificate(clientCa.toUri().toString());
                log.info("TLS: client certificates requested (optional), accepted from the CAs in {}", clientCa);
            }
            factory.setSsl(ssl);
        };
    }
}
