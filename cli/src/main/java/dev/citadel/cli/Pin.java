package dev.citadel.cli;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate pin: the SHA-256 of the server's leaf certificate (its DER encoding), the value
 * {@code openssl x509 -noout -fingerprint -sha256} prints. Written {@code sha256:} followed by 64
 * hex digits (colons allowed) or by the base64 of the 32 bytes.
 *
 * <p>Security guarantees: {@link #matches} compares in constant time. A pin names exactly one
 * certificate: a renewed certificate, even for the same key, needs a new pin.
 */
record Pin(byte[] sha256) {

    private static final String PREFIX = "sha256:";
    private static final int LENGTH = 32;

    Pin {
        if (sha256 == null || sha256.length != LENGTH) {
            throw new IllegalArgumentException("a pin is a SHA-256 digest of 32 bytes");
        }
        sha256 = sha256.clone();
    }

    /**
     * Parses {@code sha256:<hex>} or {@code sha256:<base64>}.
     *
     * @throws IllegalArgumentException with a message for the user when it is neither
     */
    static Pin parse(String text) {
        String value = text == null ? "" : text.strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            throw new IllegalArgumentException("a pin starts with sha256: (for example sha256:AB:CD:…, 32 bytes in hex or base64)");
        }
        String digest = value.substring(PREFIX.length());
        String hex = digest.replace(":", "");
        if (hex.length() == 2 * LENGTH && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return new Pin(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
        }
        byte[] decoded;
        try {
            decoded = digest.indexOf('-') >= 0 || digest.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(digest) : Base64.getDecoder().decode(digest);
        } catch (IllegalArgumentException e) {
            decoded = new byte[0];
        }
        if (decoded.length != LENGTH) {
            throw new IllegalArgumentException("a pin is sha256: followed by 64 hex digits or the base64 of 32 bytes");
        }
        return new Pin(decoded);
    }

    /** The pin of a certificate. */
    static Pin of(X509Certificate certificate) {
        try {
            return new Pin(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute the certificate's fingerprint", e);
        }
    }

    /** Whether {@code certificate} is the pinned one, compared in constant time. */
    boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(sha256, of(certificate).sha256);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** {@code sha256:AB:CD:…}, as OpenSSL shows a fingerprint; {@link #parse} reads it back. */
    @Override
    public String toString() {
        String hex = HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256);
        return PREFIX + hex;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Pin pin && MessageDigest.isEqual(sha256, pin.sha256);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(sha256);
    }
}
