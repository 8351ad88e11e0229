package dev.citadel.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.citadel.privacy.ValueDetectors;

/** The value-level transformations behind mask and generalize. */
public final class Protections {

    private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-\\d{2}-\\d{2}(?:[T ].*)?");
    private static final Pattern US_DATE = Pattern.compile("\\d{1,2}/\\d{1,2}/(\\d{4})");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d{1,3})?");

    private Protections() {}

    /**
     * Keeps the last four letters or digits and replaces every other letter or digit with {@code *};
     * an e-mail keeps its first character and domain; free text gets its identifiers redacted.
     */
    public static String mask(String value, SensitiveKind kind) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (kind == SensitiveKind.FREE_TEXT_PII) {
            return ValueDetectors.redactIdentifiers(value);
        }
        if (kind == SensitiveKind.EMAIL && value.indexOf('@') > 0) {
            int at = value.indexOf('@');
            return value.charAt(0) + "***" + value.substring(at);
        }
        int keep = 4;
        StringBuilder masked = new StringBuilder(value.length());
        int alnumSeen = 0;
        int alnumTotal = (int) value.chars().filter(Character::isLetterOrDigit).count();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                alnumSeen++;
                masked.append(alnumSeen > alnumTotal - keep ? c : '*');
            } else {
                masked.append(c);
            }
        }
        return masked.toString();
    }

    /**
     * Dates to their year; numbers to the range of ten they fall in ({@code 30-39}); missing values
     * ({@code NA}, {@code null}) stay as they are; null when not applicable.
     */
    public static String generalize(String value) {
        if (value == null || value.isBlank()) {
            return value;
        }
        String v = value.strip();
        if (v.equalsIgnoreCase("na") || v.equalsIgnoreCase("n/a") || v.equalsIgnoreCase("null")) {
            return value;
        }
        Matcher iso = ISO_DATE.matcher(v);
        if (iso.matches()) {
            return iso.group(1);
        }
        Matcher us = US_DATE.matcher(v);
        if (us.matches()) {
            return us.group(1);
        }
        if (NUMBER.matcher(v).matches()) {
            double d = Double.parseDouble(v);
            if (Math.abs(d) >= 1e15) {
                return d < 0 ? "<=-1e15" : ">=1e15";
            }
            long low = (long) Math.floor(d / 10) * 10;
            return low + "-" + (low + 9);
        }
        return null;
    }
}
