package dev.citadel.identity.token;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * RFC 8705 §3.1 {@code x5t#S256}: the base64url (unpadded) SHA-256 of a certificate's DER
 * encoding, the value a certificate-bound access token carries in its {@code cnf} claim.
 */
public record CertificateThumbprint(String value) {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{43}");

    public CertificateThumbprint {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not a base64url SHA-256 thumbprint");
        }
    }

    public static CertificateThumbprint of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new CertificateThumbprint(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot take the certificate's thumbprint", e);
        }
    }

    /** Compares the digests in constant time. */
    public boolean matches(X509Certificate certificate) {
        byte[] mine = Base64.getUrlDecoder().decode(value);
        byte[] theirs = Base64.getUrlDecoder().decode(of(certificate).value());
        return MessageDigest.isEqual(mine, theirs);
    }

    @Override
    public String toString() {
        return value;
    }
}
