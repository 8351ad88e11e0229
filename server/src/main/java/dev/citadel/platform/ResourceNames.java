package dev.citadel.platform;

import java.util.regex.Pattern;

/**
 * The one rule for names of a tenant's resources (datasets, models, deployments): 1–64 lower-case
 * letters, digits, '.', '_' or '-', starting with a letter or digit, never containing "..". Names
 * appear in URLs and storage keys, so they are kept this plain everywhere.
 */
public final class ResourceNames {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private ResourceNames() {}

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.contains("..");
    }
}
