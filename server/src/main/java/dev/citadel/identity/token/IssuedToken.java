package dev.citadel.identity.token;

import java.time.Instant;

/** A freshly signed access token. */
public record IssuedToken(String value, String jti, Instant expiresAt, long expiresInSeconds) {}
