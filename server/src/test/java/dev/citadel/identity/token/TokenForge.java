package dev.citadel.identity.token;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Test-only: signs arbitrary headers and claims with Citadel's real active signing key, so tests
 * can prove that each claim check rejects a token whose signature is genuine.
 */
public final class TokenForge {

    private final SigningKeys keys;

    public TokenForge(SigningKeys keys) {
        this.keys = keys;
    }

    public String activeKid() {
        return keys.signingKey().getKeyID();
    }

    public ECKey publicKey() {
        return keys.signingKey().toPublicJWK();
    }

    public String sign(JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new ECDSASigner(keys.signingKey()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
