package dev.citadel.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.citadel.platform.Secret;

/**
 * Webhook signing secrets and the {@code Citadel-Signature} header: HMAC-SHA256 (RFC 2104) over
 * {@code "<unix seconds>." + body}, the scheme Stripe and Standard Webhooks use, computed with the
 * JDK's {@link Mac}.
 *
 * <p>Security guarantees: a receiver that holds the secret can check that the body is the one
 * Citadel signed, unchanged, and when it was signed; rejecting timestamps older than a tolerance
 * (docs/api-guide.md says five minutes) bounds replays, and remembering delivery ids within that
 * window removes them. A signature proves nothing to a third party (whoever holds the secret can
 * sign) and hides nothing (TLS does). Secrets are 32 bytes from {@link SecureRandom}; the HMAC key
 * is the secret's whole text ({@code whsec_…}) as UTF-8, so receivers need no decoding step.
 * Receivers must compare signatures in constant time.
 */
public final class WebhookSignatures {

    /** Every webhook secret starts with this, so a leaked one is recognisable (secret scanners). */
    public static final String SECRET_PREFIX = "whsec_";
    /** The header naming the timestamp and the signature: {@code t=<unix seconds>,v1=<hex>}. */
    public static final String HEADER = "Citadel-Signature";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 32;

    private WebhookSignatures() {}

    /** A fresh secret: {@code whsec_} and 32 random bytes, base64url without padding. */
    public static Secret newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return Secret.of(SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** The {@code Citadel-Signature} value for {@code body} sent at {@code unixSeconds}. */
    public static String header(Secret secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(sign(secret, unixSeconds, body));
    }

    /** HMAC-SHA256(secret, {@code unixSeconds + "." + body}). */
    static byte[] sign(Secret secret, long unixSeconds, byte[] body) {
        byte[] key = secret.utf8();
        try {
            return hmacSha256(key, (unixSeconds + ".").getBytes(StandardCharsets.US_ASCII), body);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    /** HMAC-SHA256 (RFC 2104, RFC 4231 vectors) of the concatenated {@code parts}, from the JDK. */
    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
