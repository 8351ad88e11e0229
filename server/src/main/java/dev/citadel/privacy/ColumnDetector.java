package dev.citadel.privacy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;


/**
 * Looks at every value of one column and keeps counts per kind; {@link #verdict()} turns them into
 * a finding. Strong kinds (cards, SSN, IBAN, e-mail, phone, IP) need most values to match; weak
 * kinds (names, addresses, dates of birth) also need the header to say so, which keeps random ids
 * and ordinary dates from being flagged.
 */
public final class ColumnDetector {

    static final double STRONG_RATIO = 0.8;
    static final double HINTED_RATIO = 0.5;

    private static final Pattern NAME = Pattern.compile("\\p{Lu}[\\p{L}'’-]+(?: \\p{Lu}[\\p{L}'’.-]*){0,3}");
    private static final Pattern ADDRESS = Pattern.compile(
            "\\d{1,6}[A-Za-z]? [\\p{L}0-9 .'-]{2,60} (?i:st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|dr|drive|way|"
                    + "ct|court|pl|place|ter|terrace|pkwy|parkway|hwy|highway|cir|circle)\\.?(?:,? .{0,60})?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{4}");
    private static final Pattern DATE_LIKE = Pattern.compile("\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}(?:[T ].*)?|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}");
    /** Values seen recently and their kind: repeated values (names, e-mails of returning patients) are checked once. */
    private static final int MEMO_LIMIT = 8_192;
    private final java.util.HashMap<String, SensitiveKind> memo = new java.util.HashMap<>();

    private final String header;
    private final Set<SensitiveKind> hints;
    private final Map<SensitiveKind, Long> matches = new EnumMap<>(SensitiveKind.class);
    private long nonNull;
    private long textLike;

    public ColumnDetector(String header) {
        this.header = header;
        this.hints = HeaderHints.of(header);
    }

    public String header() {
        return header;
    }

    /** Counts the kinds {@code value} is; returns the strongest single-value kind, if any. */
    public Optional<SensitiveKind> observe(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        nonNull++;
        SensitiveKind kind;
        if (memo.containsKey(v)) {
            kind = memo.get(v);
        } else {
            kind = classify(v);
            if (memo.size() >= MEMO_LIMIT) {
                memo.clear();
            }
            memo.put(v, kind);
        }
        if (kind != null) {
            matches.merge(kind, 1L, Long::sum);
        }
        if (v.length() >= 10 && v.indexOf(' ') > 0) {
            textLike++;
            if (kind == null && ValueDetectors.mightContainIdentifier(v) && ValueDetectors.containsIdentifier(v)) {
                matches.merge(SensitiveKind.FREE_TEXT_PII, 1L, Long::sum);
                return Optional.of(SensitiveKind.FREE_TEXT_PII);
            }
        }
        if (kind == null) {
            if (hints.contains(SensitiveKind.PERSON_NAME) && NAME.matcher(v).matches()) {
                matches.merge(SensitiveKind.PERSON_NAME, 1L, Long::sum);
            } else if (hints.contains(SensitiveKind.STREET_ADDRESS) && ADDRESS.matcher(v).matches()) {
                matches.merge(SensitiveKind.STREET_ADDRESS, 1L, Long::sum);
            } else if (hints.contains(SensitiveKind.DATE_OF_BIRTH) && DATE.matcher(v).matches()) {
                matches.merge(SensitiveKind.DATE_OF_BIRTH, 1L, Long::sum);
            }
        }
        return Optional.ofNullable(kind);
    }

    /**
     * The strong kind of a single value, or null. One pass over the characters decides which
     * detectors could possibly match, so ordinary values (numbers, words, dates) cost a scan, not
     * six regular expressions.
     */
    static SensitiveKind classify(String v) {
        Shape shape = Shape.of(v);
        if (shape.at == 1 && ValueDetectors.isEmail(v)) {
            return SensitiveKind.EMAIL;
        }
        if (shape.at > 0 || shape.other > 0) {
            return null;
        }
        if (shape.digits == 9 && shape.letters == 0 && (shape.dashes == 2 || v.length() == 9) && ValueDetectors.isUsSsn(v)) {
            return SensitiveKind.US_SSN;
        }
        if (shape.digits >= 12 && shape.digits <= 19 && shape.letters == 0 && shape.dots == 0 && shape.colons == 0
                && ValueDetectors.isPaymentCard(v)) {
            return SensitiveKind.PAYMENT_CARD;
        }
        if (shape.letters >= 2 && v.length() >= 15 && Character.isLetter(v.charAt(0)) && Character.isLetter(v.charAt(1))
                && shape.digits >= 8 && ValueDetectors.isIban(v)) {
            return SensitiveKind.IBAN;
        }
        if ((shape.dots == 3 && shape.letters == 0 && shape.digits >= 4) || shape.colons >= 2) {
            if (ValueDetectors.isIpAddress(v)) {
                return SensitiveKind.IP_ADDRESS;
            }
        }
        if (shape.digits >= 7 && shape.digits <= 15 && shape.letters == 0 && shape.colons == 0
                && (shape.plus > 0 || shape.parens > 0 || shape.dashes > 0 || shape.spaces > 0 || shape.dots >= 2)
                && !DATE_LIKE.matcher(v).matches() && ValueDetectors.isPhone(v)) {
            return SensitiveKind.PHONE;
        }
        return null;
    }

    /** Character counts of a value, computed in one pass. */
    private static final class Shape {
        int digits;
        int letters;
        int at;
        int dashes;
        int dots;
        int colons;
        int spaces;
        int plus;
        int parens;
        int other;

        static Shape of(String v) {
            Shape s = new Shape();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c >= '0' && c <= '9') {
                    s.digits++;
                } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    s.letters++;
                } else {
                    switch (c) {
                        case '@' -> s.at++;
                        case '-' -> s.dashes++;
                        case '.' -> s.dots++;
                        case ':' -> s.colons++;
                        case ' ' -> s.spaces++;
                        case '+' -> s.plus++;
                        case '(', ')' -> s.parens++;
                        case '_', '%' -> s.other += s.at > 0 ? 0 : 1;
                        default -> s.other++;
                    }
                }
            }
            return s;
        }
    }

    /** A column's finding: the kind, the share of non-null values that matched, and how sure we are. */
    public record Verdict(SensitiveKind kind, double matchRatio, String confidence, long matches, long nonNull) {}

    public Optional<Verdict> verdict() {
        if (nonNull == 0) {
            return Optional.empty();
        }
        Verdict best = null;
        for (Map.Entry<SensitiveKind, Long> entry : matches.entrySet()) {
            SensitiveKind kind = entry.getKey();
            double ratio = entry.getValue() / (double) nonNull;
            boolean hinted = hints.contains(kind);
            boolean weak = kind == SensitiveKind.PERSON_NAME || kind == SensitiveKind.STREET_ADDRESS
                    || kind == SensitiveKind.DATE_OF_BIRTH;
            boolean found;
            if (kind == SensitiveKind.FREE_TEXT_PII) {
                found = textLike >= nonNull / 2;
            } else if (weak) {
                found = hinted && ratio >= HINTED_RATIO;
            } else {
                found = ratio >= STRONG_RATIO || (hinted && ratio >= HINTED_RATIO);
            }
            if (found && (best == null || ratio > best.matchRatio())) {
                String confidence = ratio >= 0.95 || (hinted && ratio >= 0.8) ? "high" : "medium";
                best = new Verdict(kind, ratio, confidence, entry.getValue(), nonNull);
            }
        }
        return Optional.ofNullable(best);
    }
}
