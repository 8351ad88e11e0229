package dev.citadel.identity.token;

/**
 * A token failed verification. {@link #reason()} is a short machine reason for the audit trail and
 * the server log; clients always get the same 401 {@code auth.invalid_token}.
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
