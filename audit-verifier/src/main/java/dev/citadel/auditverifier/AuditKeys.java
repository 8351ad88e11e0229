package dev.citadel.auditverifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The platform's audit signing keys as an auditor holds them: Ed25519 public keys in X.509
 * SubjectPublicKeyInfo form (PEM {@code PUBLIC KEY}), each named by its key id.
 *
 * <p>Security guarantees: a key id is the first 16 hex digits of SHA-256 over the key's DER, so it
 * names exactly one key; {@link #verify} uses the JDK's Ed25519 and never throws on a bad
 * signature — it answers false.
 */
public final class AuditKeys {

    private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_END = "-----END PUBLIC KEY-----";

    private AuditKeys() {}

    /** The key id of a public key given as SubjectPublicKeyInfo DER. */
    public static String keyId(byte[] spki) {
        return HexFormat.of().formatHex(CanonicalEntry.sha256().digest(spki), 0, 8);
    }

    /** Parses an Ed25519 public key from SubjectPublicKeyInfo DER. */
    public static PublicKey parse(byte[] spki) throws GeneralSecurityException {
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        if (!"EdDSA".equals(key.getAlgorithm()) && !"Ed25519".equals(key.getAlgorithm())) {
            throw new GeneralSecurityException("not an Ed25519 key");
        }
        return key;
    }

    /** The DER inside a PEM {@code PUBLIC KEY} block. */
    public static byte[] fromPem(String pem) throws GeneralSecurityException {
        int begin = pem.indexOf(PEM_BEGIN);
        int end = pem.indexOf(PEM_END);
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException("not a PEM PUBLIC KEY block");
        }
        String body = pem.substring(begin + PEM_BEGIN.length(), end).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("PEM body is not base64", e);
        }
    }

    /** A PEM {@code PUBLIC KEY} block for SubjectPublicKeyInfo DER. */
    public static String toPem(byte[] spki) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(spki);
        return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
    }

    /** Whether {@code signature} is a valid Ed25519 signature of {@code message} under {@code key}. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (key == null || message == null || signature == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
