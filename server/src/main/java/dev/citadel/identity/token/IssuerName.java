package dev.citadel.identity.token;

import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.stereotype.Component;

import dev.citadel.identity.IdentityProperties;
import dev.citadel.platform.config.CitadelProperties;

/** The {@code iss} of Citadel's tokens: configured, else the public URL, else {@code https://localhost:<port>}. */
@Component
public class IssuerName {

    private final String value;

    IssuerName(IdentityProperties identity, CitadelProperties platform, ServerProperties server) {
        if (identity.issuer() != null && !identity.issuer().isBlank()) {
            value = identity.issuer();
        } else if (platform.publicUrl() != null && !platform.publicUrl().isBlank()) {
            value = platform.publicUrl();
        } else {
            value = "https://localhost:" + (server.getPort() == null ? 8443 : server.getPort());
        }
    }

    public String value() {
        return value;
    }
}
