package dev.citadel.identity.web;

import java.util.function.Predicate;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The firewall's rules for header names and values, as a scan instead of a regular expression.
 *
 * <p>{@link StrictHttpFirewall} by default accepts a header name made only of assigned, non-control
 * code points ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}) and a value that may also hold tabs,
 * and tests every header each time it is read. Spring's routing reads a few headers for every
 * mapping it tries, so on an API request those regular expressions cost about a twentieth of the
 * request's CPU. These predicates accept exactly the same strings (a test checks every code point
 * against Spring's expressions) with a fast path for printable ASCII.
 */
final class HeaderCharacters {

    /** A header name: assigned code points, none of them a control character. */
    static final Predicate<String> NAME = value -> allowed(value, false);

    /** A header value: as a name, and tabs. */
    static final Predicate<String> VALUE = value -> allowed(value, true);

    private HeaderCharacters() {}

    /** A firewall as strict as Spring's default, with these predicates. */
    static StrictHttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(NAME);
        firewall.setAllowedHeaderValues(VALUE);
        return firewall;
    }

    static boolean allowed(String value, boolean tab) {
        int i = 0;
        int length = value.length();
        while (i < length) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++;
                continue;
            }
            int codePoint = value.codePointAt(i);
            boolean control = Character.isISOControl(codePoint) && !(tab && codePoint == '\t');
            if (control || !Character.isDefined(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
