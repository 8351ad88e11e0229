package dev.citadel.monitoring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a receiver does with a delivery, written as docs/api-guide.md's Java snippet shows it and
 * independently of Citadel's signing code: parse {@code Citadel-Signature}, reject a timestamp more
 * than five minutes from now, recompute HMAC-SHA256(secret, t + "." + body) and compare in
 * constant time with each {@code v1}.
 */
final class WebhookVerification {

    static final long TOLERANCE_SECONDS = 300;

    private WebhookVerification() {}

    static boolean verify(String secret, String header, byte[] body, long nowEpochSeconds) {
        if (header == null) {
            return false;
        }
        long timestamp = -1;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if (kv[0].equals("t") && kv[1].matches("[0-9]{1,12}")) {
                timestamp = Long.parseLong(kv[1]);
            } else if (kv[0].equals("v1")) {
                signatures.add(kv[1]);
            }
        }
        if (timestamp < 0 || Math.abs(nowEpochSeconds - timestamp) > TOLERANCE_SECONDS) {
            return false; // missing, stale (a replay) or from the future
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String signature : signatures) {
            try {
                if (MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature))) {
                    return true;
                }
            } catch (IllegalArgumentException notHex) {
                // not a signature of ours
            }
        }
        return false;
    }

    /** The {@code t} of a header, for freshness assertions. */
    static long timestamp(String header) {
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                return Long.parseLong(part.substring(2));
            }
        }
        throw new IllegalArgumentException("no timestamp");
    }
}
