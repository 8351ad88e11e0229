package dev.citadel.cli;

/**
 * What the CLI remembers between commands: the server, how its certificate is trusted, who is
 * signed in and the session's tokens, and the default tenant. Stored by {@link ConfigStore}.
 *
 * @param server       the server's base URL, {@code https://host:port}
 * @param pin          the pinned certificate ({@link Pin#toString()}), or null
 * @param caCert       a CA certificate file to verify the server with, or null
 * @param principal    who signed in (a user name or a service account's client id), for display
 * @param accessToken  the bearer token, or null when signed out
 * @param refreshToken the refresh token of a person's session, or null
 * @param clientId     the client id of a service account's session, or null
 * @param tenant       the default tenant, or null
 */
record Profile(String server, String pin, String caCert, String principal, String accessToken, String refreshToken,
        String clientId, String tenant) {

    static final Profile EMPTY = new Profile(null, null, null, null, null, null, null, null);

    Profile withTokens(String access, String refresh) {
        return new Profile(server, pin, caCert, principal, access, refresh, clientId, tenant);
    }

    Profile withTenant(String value) {
        return new Profile(server, pin, caCert, principal, accessToken, refreshToken, clientId, value);
    }

    Profile signedOut() {
        return new Profile(server, pin, caCert, principal, null, null, clientId, tenant);
    }

    boolean signedIn() {
        return accessToken != null;
    }

    /** Never the tokens. */
    @Override
    public String toString() {
        return "Profile[server=" + server + ", pin=" + pin + ", caCert=" + caCert + ", principal=" + principal
                + ", signedIn=" + signedIn() + ", tenant=" + tenant + "]";
    }
}
