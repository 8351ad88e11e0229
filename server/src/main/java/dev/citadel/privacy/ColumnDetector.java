package dev.citadel.privacy;

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

    /** What {@link #looksLikeName} recognises, as a pattern (the equivalence test holds them together). */
    static final Pattern NAME = Pattern.compile("\\p{Lu}[\\p{L}'’-]+(?: \\p{Lu}[\\p{L}'’.-]*){0,3}");
    private static final Pattern ADDRESS = Pattern.compile(
            "\\d{1,6}[A-Za-z]? [\\p{L}0-9 .'-]{2,60} (?i:st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|dr|drive|way|"
                    + "ct|court|pl|place|ter|terrace|pkwy|parkway|hwy|highway|cir|circle)\\.?(?:,? .{0,60})?");
    /** What {@link #looksLikeDate} recognises, as a pattern. */
    static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{4}");
    /** What {@link #dateLike} recognises, as a pattern. */
    static final Pattern DATE_LIKE = Pattern.compile("\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}(?:[T ].*)?|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}");
    /** Values seen recently whose check was costly, and what they were: repeated values are checked once. */
    private static final int MEMO_LIMIT = 8_192;
    private static final int MEMO_PROBE = 4_096;
    private java.util.HashMap<String, Outcome> memo = new java.util.HashMap<>();
    private long memoLookups;
    private long memoHits;

    private final String header;
    private final Set<SensitiveKind> hints;
    private final boolean nameHint;
    private final boolean addressHint;
    private final boolean birthHint;
    private final boolean ssnHint;
    private final long[] matches = new long[SensitiveKind.values().length];
    private long nonNull;
    private long textLike;

    /**
     * What one value is: the kind reported for it and the kind it counts towards. Weak kinds (names,
     * addresses, dates of birth) are only ever checked in columns whose header suggests them, and are
     * reported like the others, so a value recognised after the decision window is still redacted.
     */
    private record Outcome(Optional<SensitiveKind> reported, SensitiveKind counted) {
        static final Outcome NONE = new Outcome(Optional.empty(), null);
        private static final Outcome[] OF_KIND = new Outcome[SensitiveKind.values().length];

        static {
            for (SensitiveKind kind : SensitiveKind.values()) {
                OF_KIND[kind.ordinal()] = new Outcome(Optional.of(kind), kind);
            }
        }

        private static final Outcome[] COUNTED_ONLY = new Outcome[SensitiveKind.values().length];

        static {
            for (SensitiveKind kind : SensitiveKind.values()) {
                COUNTED_ONLY[kind.ordinal()] = new Outcome(Optional.empty(), kind);
            }
        }

        static Outcome of(SensitiveKind kind) {
            return OF_KIND[kind.ordinal()];
        }

        /** Counts towards the column's verdict, but the single value is not reported (see {@link #observe}). */
        Outcome countedOnly() {
            return counted == null ? this : COUNTED_ONLY[counted.ordinal()];
        }
    }

    public ColumnDetector(String header) {
        this.header = header;
        this.hints = HeaderHints.of(header);
        this.nameHint = hints.contains(SensitiveKind.PERSON_NAME);
        this.addressHint = hints.contains(SensitiveKind.STREET_ADDRESS);
        this.birthHint = hints.contains(SensitiveKind.DATE_OF_BIRTH);
        this.ssnHint = hints.contains(SensitiveKind.US_SSN);
    }

    public String header() {
        return header;
    }

    /**
     * Counts the kinds {@code value} is; returns the kind of this single value, if any (weak kinds
     * only in columns whose header suggests them).
     */
    public Optional<SensitiveKind> observe(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        nonNull++;
        Shape shape = Shape.of(v);
        boolean text = v.length() >= 10 && shape.spaces > 0;
        if (text) {
            textLike++;
        }
        Outcome outcome;
        if (shape.isSsnCandidate(v) && (shape.dashes > 0 || ssnHint) && ValueDetectors.isUsSsn(v)) {
            // Nine bare digits pass the SSN rules nine times in ten: without dashes they count as an SSN
            // only in a column whose header says so, or every nine-digit id column would be flagged.
            outcome = Outcome.of(SensitiveKind.US_SSN);
        } else if (shape.at == 1 && shape.other == 0 && ValueDetectors.simpleEmail(v) == 1) {
            outcome = Outcome.of(SensitiveKind.EMAIL);
        } else if (shape.at > 0 || shape.mightBeStrong(v) || (text && shape.digits >= 7)
                || (addressHint && shape.digits > 0 && shape.spaces > 0)) {
            outcome = memoized(v, shape, text);
        } else {
            outcome = weak(v, shape);
        }
        if (outcome.counted() != null) {
            matches[outcome.counted().ordinal()]++;
            if (shape.digits == v.length() && !hints.contains(outcome.counted())) {
                // A bare digit string passes the card checks one time in ten and the SSN rules most of the
                // time: in a column whose header does not suggest the kind, it counts towards the column's
                // verdict but is not redacted on its own, so id columns are not altered value by value.
                outcome = outcome.countedOnly();
            }
        }
        return outcome.reported();
    }

    /**
     * The outcome from the memo when the column repeats its values; a column of distinct values
     * (ids, e-mails) soon stops paying for the lookups: after {@value #MEMO_PROBE} lookups with
     * fewer than a quarter of hits, the memo is dropped for the rest of the column.
     */
    private Outcome memoized(String v, Shape shape, boolean text) {
        if (memo == null) {
            return evaluate(v, shape, text);
        }
        Outcome outcome = memo.get(v);
        memoLookups++;
        if (outcome != null) {
            memoHits++;
            return outcome;
        }
        outcome = evaluate(v, shape, text);
        if (memoLookups == MEMO_PROBE && memoHits < MEMO_PROBE / 4) {
            memo = null;
            return outcome;
        }
        if (memo.size() >= MEMO_LIMIT) {
            memo.clear();
        }
        memo.put(v, outcome);
        return outcome;
    }

    /** Checks that cost one scan; values that could be anything more go through the memo. */
    private Outcome weak(String v, Shape shape) {
        if (nameHint && shape.letters > 0 && looksLikeName(v)) {
            return Outcome.of(SensitiveKind.PERSON_NAME);
        }
        if (birthHint && shape.digits >= 6 && looksLikeDate(v)) {
            return Outcome.of(SensitiveKind.DATE_OF_BIRTH);
        }
        return Outcome.NONE;
    }

    private Outcome evaluate(String v, Shape shape, boolean text) {
        SensitiveKind kind = classify(v, shape);
        if (kind != null) {
            return Outcome.of(kind);
        }
        if (text && ValueDetectors.mightContainIdentifier(v) && ValueDetectors.containsIdentifier(v)) {
            return Outcome.of(SensitiveKind.FREE_TEXT_PII);
        }
        if (nameHint && looksLikeName(v)) {
            return Outcome.of(SensitiveKind.PERSON_NAME);
        }
        if (addressHint && ADDRESS.matcher(v).matches()) {
            return Outcome.of(SensitiveKind.STREET_ADDRESS);
        }
        if (birthHint && looksLikeDate(v)) {
            return Outcome.of(SensitiveKind.DATE_OF_BIRTH);
        }
        return Outcome.NONE;
    }

    /**
     * One to four capitalised words separated by single spaces: the first of two or more characters
     * (letters, apostrophes, hyphens), the others may also hold dots ({@code "J. R. R. Tolkien"}).
     * Equivalent to {@link #NAME}.
     */
    static boolean looksLikeName(String v) {
        int words = 0;
        int i = 0;
        int n = v.length();
        while (i < n) {
            if (words == 4) {
                return false;
            }
            if (words > 0) {
                if (v.charAt(i) != ' ') {
                    return false;
                }
                i++;
            }
            if (i >= n || Character.getType(v.charAt(i)) != Character.UPPERCASE_LETTER) {
                return false;
            }
            i++;
            int rest = 0;
            while (i < n && v.charAt(i) != ' ') {
                char c = v.charAt(i);
                if (!(Character.isLetter(c) || c == '\'' || c == '\u2019' || c == '-' || (words > 0 && c == '.'))) {
                    return false;
                }
                rest++;
                i++;
            }
            if (words == 0 && rest == 0) {
                return false;
            }
            words++;
        }
        return words > 0;
    }

    /** {@code yyyy-MM-dd} or {@code d/M/yyyy}: equivalent to {@link #DATE}. */
    static boolean looksLikeDate(String v) {
        int n = v.length();
        if (n == 10 && v.charAt(4) == '-' && v.charAt(7) == '-') {
            return digitsAt(v, 0, 4) && digitsAt(v, 5, 2) && digitsAt(v, 8, 2);
        }
        int first = v.indexOf('/');
        int second = first < 0 ? -1 : v.indexOf('/', first + 1);
        return first >= 1 && first <= 2 && second - first - 1 >= 1 && second - first - 1 <= 2 && n - second - 1 == 4
                && digitsAt(v, 0, first) && digitsAt(v, first + 1, second - first - 1) && digitsAt(v, second + 1, 4);
    }

    /**
     * A date written with separators, which is never a phone number: {@code yyyy-M-d} (optionally
     * followed by a time) or {@code d-M-yy(yy)}, with {@code -}, {@code /} or {@code .} between the
     * parts. Equivalent to {@link #DATE_LIKE}.
     */
    static boolean dateLike(String v) {
        int n = v.length();
        int first = digitRun(v, 0);
        if (first == 4) {
            int i = 4;
            if (i >= n || !isDateSeparator(v.charAt(i))) {
                return false;
            }
            int month = digitRun(v, ++i);
            if (month < 1 || month > 2) {
                return false;
            }
            i += month;
            if (i >= n || !isDateSeparator(v.charAt(i))) {
                return false;
            }
            int day = digitRun(v, ++i);
            if (day < 1 || day > 2) {
                return false;
            }
            i += day;
            return i == n || v.charAt(i) == 'T' || v.charAt(i) == ' ';
        }
        if (first < 1 || first > 2) {
            return false;
        }
        int i = first;
        if (i >= n || !isDateSeparator(v.charAt(i))) {
            return false;
        }
        int second = digitRun(v, ++i);
        if (second < 1 || second > 2) {
            return false;
        }
        i += second;
        if (i >= n || !isDateSeparator(v.charAt(i))) {
            return false;
        }
        int year = digitRun(v, ++i);
        return year >= 2 && year <= 4 && i + year == n;
    }

    private static boolean isDateSeparator(char c) {
        return c == '-' || c == '/' || c == '.';
    }

    private static int digitRun(String v, int from) {
        int i = from;
        while (i < v.length() && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    private static boolean digitsAt(String v, int from, int count) {
        for (int i = from; i < from + count; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The strong kind of a single value, or null. One pass over the characters decides which
     * detectors could possibly match, so ordinary values (numbers, words, dates) cost a scan, not
     * six regular expressions.
     */
    static SensitiveKind classify(String v) {
        return classify(v, Shape.of(v));
    }

    private static SensitiveKind classify(String v, Shape shape) {
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
                && !dateLike(v) && ValueDetectors.isPhone(v)) {
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

        /** Could be a US SSN: nine digits, bare or with dashes (checked without the memo: it is cheap). */
        boolean isSsnCandidate(String v) {
            return digits == 9 && letters == 0 && at == 0 && other == 0 && (dashes == 2 || v.length() == 9);
        }

        /** Could be a card, IBAN, IP address, phone number or e-mail by its characters (dates are not phones). */
        boolean mightBeStrong(String v) {
            if (at > 0) {
                return at == 1;
            }
            if (other > 0) {
                return false;
            }
            return (digits >= 12 && digits <= 19 && letters == 0 && dots == 0 && colons == 0)
                    || (letters >= 2 && digits >= 8)
                    || (dots == 3 && letters == 0 && digits >= 4) || colons >= 2
                    || (digits >= 7 && digits <= 15 && letters == 0 && colons == 0
                            && (plus > 0 || parens > 0 || dashes > 0 || spaces > 0 || dots >= 2) && !dateLike(v));
        }
    }

    /** A column's finding: the kind, the share of non-null values that matched, and how sure we are. */
    public record Verdict(SensitiveKind kind, double matchRatio, String confidence, long matches, long nonNull) {}

    public Optional<Verdict> verdict() {
        if (nonNull == 0) {
            return Optional.empty();
        }
        Verdict best = null;
        for (SensitiveKind kind : SensitiveKind.values()) {
            long count = matches[kind.ordinal()];
            if (count == 0) {
                continue;
            }
            double ratio = count / (double) nonNull;
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
                best = new Verdict(kind, ratio, confidence, count, nonNull);
            }
        }
        return Optional.ofNullable(best);
    }
}
