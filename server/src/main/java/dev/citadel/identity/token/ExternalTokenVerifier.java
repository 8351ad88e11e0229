package dev.citadel.identity.token;

import com.nimbusds.jwt.SignedJWT;


/** Verifies tokens of trusted external OpenID Connect providers. */
public interface ExternalTokenVerifier {

    boolean trusts(String issuer);

    ExternalIdentity verify(SignedJWT jwt, String issuer) throws InvalidTokenException;
}
