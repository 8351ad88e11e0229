package dev.citadel.identity.user;

import java.util.Locale;
import java.util.regex.Pattern;

/** Usernames: 3–64 characters of letters, digits and {@code . _ @ -}, compared case-insensitively. */
public final class Username {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._@-]{2,63}");

    private Username() {}

    /** The canonical (lower-case) form, or {@code null} when the input can never be a username. */
    public static String normalise(String input) {
        if (input == null) {
            return null;
        }
        String lower = input.strip().toLowerCase(Locale.ROOT);
        return VALID.matcher(lower).matches() ? lower : null;
    }
}
