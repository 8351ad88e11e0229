package dev.citadel.identity;

import java.security.SecureRandom;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.citadel.crypto.Totp;
import dev.citadel.platform.Secret;
import dev.citadel.platform.config.CitadelProperties;
import dev.citadel.platform.tls.ServerCertificate;
import dev.citadel.platform.web.ConsoleAnnouncer;

/**
 * On first start with an empty database, creates the first {@code platform-admin} with TOTP
 * already active. Credentials come from {@code CITADEL_BOOTSTRAP_ADMIN_*} when set (automation);
 * otherwise they are generated and printed once to the console — never to the log.
 */
@Component
class BootstrapAdmin {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Users users;
    private final IdentityProperties.Bootstrap bootstrap;
    private final CitadelProperties platform;
    private final ServerCertificate certificate;
    private Optional<String> createdNotice = Optional.empty();

    private final boolean restoring;

    BootstrapAdmin(Users users, IdentityProperties properties, CitadelProperties platform, ServerCertificate certificate,
            @org.springframework.beans.factory.annotation.Value("${citadel.restore.running:false}") boolean restoring) {
        this.users = users;
        this.bootstrap = properties.bootstrap();
        this.platform = platform;
        this.certificate = certificate;
        this.restoring = restoring;
        if (!restoring) {          // a restore brings the installation's own users back
            createIfEmpty();
        }
    }

    private void createIfEmpty() {
        if (!users.isEmpty()) {
            return;
        }
        SecureRandom random = new SecureRandom();
        String username = bootstrap.adminUser() != null && !bootstrap.adminUser().isBlank() ? bootstrap.adminUser() : "admin";
        boolean generatedPassword = bootstrap.adminPassword() == null;
        Secret password = generatedPassword ? Secret.of(randomPassword(random)) : bootstrap.adminPassword();
        boolean generatedTotp = bootstrap.adminTotpSecret() == null;
        Secret totp = generatedTotp ? Secret.of(Totp.newSecret(random)) : bootstrap.adminTotpSecret();
        Users.UserView admin;
        try {
            admin = users.createBootstrapAdmin(username, password, totp);
        } catch (dev.citadel.platform.errors.CitadelException e) {
            throw new IllegalStateException("Cannot create the bootstrap administrator: " + e.detail() + " "
                    + e.fieldProblems().stream().map(p -> p.field() + " " + p.message()).toList()
                    + " (check CITADEL_BOOTSTRAP_ADMIN_USER / CITADEL_BOOTSTRAP_ADMIN_PASSWORD)");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("CITADEL_BOOTSTRAP_ADMIN_TOTP_SECRET is not a valid base32 secret of 80+ bits");
        }
        log.warn("Created the bootstrap platform administrator '{}' (first start).", admin.username());
        if (generatedPassword || generatedTotp) {
            createdNotice = Optional.of("""
                    ================ Citadel bootstrap administrator (shown once) ================
                      username : %s
                      password : %s
                      TOTP     : %s
                      otpauth  : %s
                    Store these now: they are not logged and will not be shown again.
                    ==============================================================================""".formatted(
                    admin.username(),
                    generatedPassword ? password.reveal() : "(from CITADEL_BOOTSTRAP_ADMIN_PASSWORD)",
                    generatedTotp ? totp.reveal() : "(from CITADEL_BOOTSTRAP_ADMIN_TOTP_SECRET)",
                    generatedTotp ? Totp.uri("Citadel", admin.username(), totp.reveal()) : "-"));
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce(ApplicationReadyEvent event) {
        if (restoring) {
            return;
        }
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : -1;
        String scheme = platform.tls().enabled() ? "https" : "http";
        String url = scheme + "://localhost:" + port;
        StringBuilder text = new StringBuilder();
        createdNotice.ifPresent(notice -> text.append(notice).append('\n'));
        createdNotice = Optional.empty();
        text.append("Citadel is running at ").append(url).append('\n');
        text.append("Web console: ").append(url).append("/console").append('\n');
        if (certificate.selfSigned()) {
            text.append("TLS certificate (self-signed) SHA-256: ").append(certificate.sha256Fingerprint()).append('\n')
                    .append("  trust it for curl with: --cacert ").append(certificate.certificate()).append('\n');
        }
        text.append("Sign in:\n")
                .append("  curl --cacert ").append(certificate.certificate()).append(' ').append(url)
                .append("/api/v1/auth/login -H 'Content-Type: application/json' \\\n")
                .append("       -d '{\"username\":\"<user>\",\"password\":\"<password>\",\"totp\":\"<6-digit code>\"}'\n")
                .append("Then call the API with: -H 'Authorization: Bearer <access_token>'   (docs: README.md, docs/api-guide.md)");
        ConsoleAnnouncer.announce(text.toString());
    }

    private static String randomPassword(SecureRandom random) {
        StringBuilder password = new StringBuilder();
        for (int group = 0; group < 4; group++) {
            if (group > 0) {
                password.append('-');
            }
            for (int i = 0; i < 6; i++) {
                password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return password.toString();
    }
}
