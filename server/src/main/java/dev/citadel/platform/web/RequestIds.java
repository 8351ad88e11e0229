package dev.citadel.platform.web;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import org.slf4j.MDC;

/** Request identifiers: generated per request, echoed in {@code X-Request-Id}, logged, audited. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "requestId";
    /** The log field naming the authenticated principal ({@code user:<id>}, {@code service-account:<id>}). */
    public static final String MDC_PRINCIPAL = "principal";
    /** The log field naming the tenant a request was authorised in. */
    public static final String MDC_TENANT = "tenant";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {}

    /** The current request's id, or {@code null} outside a request. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A client-supplied id is kept only when it cannot smuggle anything into logs. */
    static String acceptOrGenerate(String supplied) {
        return supplied != null && SAFE.matcher(supplied).matches() ? supplied : newId();
    }
}
