package dev.citadel.platform;

import java.util.regex.Pattern;

/**
 * A tenant's identifier: a lower-case slug, also used in URLs. Validated on construction, so a
 * {@code TenantId} in hand is always safe to put in a path, a log line or a storage prefix.
 */
public record TenantId(String value) {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?");

    /** The pseudo-tenant that owns platform-level audit events; it can never be a real slug. */
    public static final TenantId PLATFORM = new TenantId("_platform");

    public TenantId {
        if (value == null || !(SLUG.matcher(value).matches() || value.equals("_platform"))) {
            throw new IllegalArgumentException("invalid tenant id");
        }
    }

    /** Whether {@code candidate} is a syntactically valid tenant slug (the platform id is not). */
    public static boolean isValidSlug(String candidate) {
        return candidate != null && SLUG.matcher(candidate).matches();
    }

    /** Parses a slug supplied by a client; invalid input yields {@code null} so callers answer 404. */
    public static TenantId parseOrNull(String candidate) {
        return isValidSlug(candidate) ? new TenantId(candidate) : null;
    }

    public boolean isPlatform() {
        return value.equals("_platform");
    }

    @Override
    public String toString() {
        return value;
    }
}
