package dev.citadel.identity.token;

import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;

/** Nimbus's claims verifier reading time from the injected clock instead of the system clock. */
public final class ClockedClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {

    private final Clock clock;

    public ClockedClaimsVerifier(Clock clock, String audience, JWTClaimsSet exactMatch, Set<String> required, int skewSeconds) {
        super(Set.of(audience), exactMatch, required, Set.of());
        this.clock = clock;
        setMaxClockSkew(skewSeconds);
    }

    /** A short audit reason for a failed claims check. */
    public static String reason(BadJWTException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("expired")) {
            return "expired";
        }
        if (message.contains("before use") || message.contains("nbf")) {
            return "not_yet_valid";
        }
        if (message.contains("audience") || message.contains(" aud ")) {
            return "audience";
        }
        if (message.contains("missing")) {
            return "missing_claim";
        }
        if (message.contains("iss")) {
            return "issuer";
        }
        return "claims";
    }

    @Override
    protected Date currentTime() {
        return Date.from(clock.instant());
    }
}
