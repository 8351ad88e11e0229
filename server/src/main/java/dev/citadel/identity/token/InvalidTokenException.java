package dev.citadel.identity.token;

/**
 * A token failed verification. {@link #reason()} is a short machine reason for the audit trail and
 * the server log; clients always get the same 401 {@code auth.invalid_token}, except that a
 * certificate-bound token presented without its certificate answers {@code auth.certificate_mismatch}
 * (the token may be valid: the client must use its certificate).
 */
public final class InvalidTokenException extends Exception {

    private final String reason;

    public InvalidTokenException(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
