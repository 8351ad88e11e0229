package dev.citadel.monitoring.alerts;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Where a webhook may point, checked when it is configured and again before every attempt.
 *
 * <p>Security guarantees (SSRF): only absolute {@code https} URLs of at most {@value #MAX_URL_LENGTH}
 * characters, with no user information and no fragment, are accepted; and unless private targets
 * are allowed, every address the host resolves to must be public — not loopback, unspecified,
 * link-local (cloud metadata at 169.254.169.254), private (RFC 1918, IPv6 unique-local), shared
 * (RFC 6598), multicast, reserved, nor an IPv6 form embedding such an IPv4 address. The check
 * before each attempt resolves the host afresh, so a name re-pointed at an internal address after
 * it was configured (DNS rebinding) is refused then. The HTTP client resolves the name once more
 * when it connects; the JVM's resolver cache (30 s by default) makes that the same answer, but a
 * deployment that must be airtight also filters egress in the network.
 */
final class WebhookTargets {

    static final int MAX_URL_LENGTH = 2048;

    /** Resolves a host name to its addresses: the system resolver, or a fixed table in tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The outcome of checking a target before an attempt. */
    sealed interface Check permits Allowed, Refused {}

    /** Every address of the host may be called. */
    record Allowed(List<InetAddress> addresses) implements Check {}

    /** Not called; {@code reason} is what the delivery log shows. */
    record Refused(String reason) implements Check {}

    private final boolean allowPrivate;
    private final Resolver resolver;

    WebhookTargets(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /**
     * Parses a URL a client supplied and checks it as an attempt would; answers the normalised URL or
     * throws 400 {@code webhook.invalid_url} or {@code webhook.target_not_allowed}.
     */
    URI validate(String url) {
        URI uri = parse(url);
        if (check(uri) instanceof Refused refused) {
            if (refused.reason().equals("UnknownHost")) {
                throw invalid("The URL's host name does not resolve.");
            }
            throw new CitadelException(ErrorCode.WEBHOOK_TARGET_NOT_ALLOWED, "The URL's host resolves to a loopback, "
                    + "private, link-local, multicast or otherwise internal address; Citadel only calls public addresses.");
        }
        return uri;
    }

    /** Resolves the host now and checks every address it has. */
    Check check(URI uri) {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host(uri));
        } catch (UnknownHostException e) {
            return new Refused("UnknownHost");
        }
        if (addresses == null || addresses.length == 0) {
            return new Refused("UnknownHost");
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (isInternal(address)) {
                    return new Refused("TargetNotAllowed");
                }
            }
        }
        return new Allowed(List.of(addresses));
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("A URL is required.");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw invalid("The URL is longer than " + MAX_URL_LENGTH + " characters.");
        }
        if (url.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw invalid("The URL contains spaces or control characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("The URL is not a valid URI.");
        }
        if (!uri.isAbsolute() || uri.isOpaque() || !"https".equalsIgnoreCase(uri.getScheme())) {
            throw invalid("Only https:// URLs are allowed.");
        }
        if (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw invalid("The URL must not contain credentials; the signature authenticates Citadel to the receiver.");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("The URL has no valid host.");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("The URL must not have a fragment.");
        }
        return URI.create("https" + url.substring(uri.getScheme().length()));
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
                : host.toLowerCase(Locale.ROOT);
    }

    /** Whether {@code address} is anything but a public unicast address. */
    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isInternalV4(b, 0);
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return true; // fc00::/7 unique local
        }
        if (isZero(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || isZero(b, 10, 12))) {
            return isInternalV4(b, 12); // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible)
        }
        if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12)) {
            return isInternalV4(b, 12); // 64:ff9b::/96 NAT64
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return isInternalV4(b, 2); // 2002::/16 6to4
        }
        return false;
    }

    private static boolean isInternalV4(byte[] b, int at) {
        int a = b[at] & 0xff;
        int c = b[at + 1] & 0xff;
        return a == 0 || a == 10 || a == 127 || a >= 224              // this network, private, loopback, multicast, reserved
                || a == 100 && (c & 0xc0) == 64                         // 100.64.0.0/10 shared (carrier-grade NAT)
                || a == 169 && c == 254                                 // link-local, cloud metadata
                || a == 172 && (c & 0xf0) == 16                         // 172.16.0.0/12
                || a == 192 && c == 168                                 // 192.168.0.0/16
                || a == 192 && c == 0 && (b[at + 2] & 0xff) == 0        // 192.0.0.0/24 protocol assignments
                || a == 198 && (c & 0xfe) == 18;                        // 198.18.0.0/15 benchmarking
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static CitadelException invalid(String detail) {
        return new CitadelException(ErrorCode.WEBHOOK_INVALID_URL, detail);
    }
}
