/**
 * Who is calling: local users (Argon2id passwords, TOTP), service accounts (client credentials),
 * external OpenID Connect providers, and the short-lived signed access tokens they all end up with.
 *
 * <p>Security property: a request is authenticated only by a token whose signature, algorithm,
 * type, issuer, audience, lifetime, revocation status and principal status all verify; sign-in
 * failures look the same whether or not the account exists, and repeated failures back off.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto", "audit"})
package dev.citadel.identity;
