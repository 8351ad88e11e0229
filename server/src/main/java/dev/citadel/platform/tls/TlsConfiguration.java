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

    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> httpsOnly(CitadelProperties properties,
            ServerCertificate certificate) {
        return factory -> {
            if (!properties.tls().enabled()) {
                log.warn("TLS is DISABLED (citadel.tls.enabled=false): only run like this behind a TLS-terminating proxy");
                return;
            }
            Ssl ssl = new Ssl();
            ssl.setEnabled(true);
            ssl.setCertificate(certificate.certificate().toUri().toString());
            ssl.setCertificatePrivateKey(certificate.privateKey().toUri().toString());
            ssl.setEnabledProtocols(PROTOCOLS);
            ssl.setCiphers(CIPHERS);
            factory.setSsl(ssl);
        };
    }
}
