package dev.citadel.platform.config;

import java.nio.file.Path;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.citadel.platform.Secret;

/**
 * Platform configuration ({@code citadel.*}): where state lives and how the server listens. Every
 * property is described in docs/configuration.md.
 */
@ConfigurationProperties("citadel")
@Validated
public record CitadelProperties(
        @NotNull Path dataDir,
        String publicUrl,
        @DefaultValue @Valid @NotNull Db db,
        @DefaultValue @Valid @NotNull Tls tls,
        @DefaultValue("all") Role role) {

    /**
     * What this process does ({@code citadel.role}): {@code all} serves the API and takes jobs (one
     * process, the embedded default); {@code api} serves the API and never takes a job; {@code worker}
     * takes jobs from the database queue and answers nothing over HTTP but the actuator's health and
     * metrics, so a large training job never shares a heap with request handling.
     */
    public enum Role {
        ALL, API, WORKER;

        public boolean takesJobs() {
            return this != API;
        }

        public boolean servesApi() {
            return this != WORKER;
        }
    }

    /** The metadata database. With no {@code url}, an H2 file database under the data directory. */
    public record Db(
            String url,
            String user,
            Secret password,
            String migrationUser,
            Secret migrationPassword,
            @DefaultValue("10") @Min(2) @Max(200) int poolSize) {

        public boolean isExternal() {
            return url != null && !url.isBlank();
        }
    }

    /**
     * HTTPS. With no certificate configured, a self-signed one is generated into the data
     * directory. {@code enabled: false} is only for running behind a TLS-terminating proxy.
     */
    /**
     * @param clientAuth {@code none} (default) or {@code want}: the listener asks for a client
     *                   certificate and verifies it against {@code clientCa}, but connections
     *                   without one still work (browsers, passwords). Never {@code need}.
     * @param clientCa   PEM bundle of the CAs whose client certificates are accepted (mutual TLS
     *                   for service accounts, RFC 8705); required with {@code want}
     */
    public record Tls(
            @DefaultValue("true") boolean enabled,
            String certificate,
            String privateKey,
            @DefaultValue("none") ClientAuth clientAuth,
            String clientCa) {
    }

    /** Whether the listener requests client certificates. */
    public enum ClientAuth { NONE, WANT }
}
