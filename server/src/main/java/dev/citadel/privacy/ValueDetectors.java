package dev.citadel.privacy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import org.apache.commons.validator.routines.CreditCardValidator;
import org.apache.commons.validator.routines.DomainValidator;
import org.apache.commons.validator.routines.EmailValidator;
import org.apache.commons.validator.routines.IBANValidator;
import org.apache.commons.validator.routines.InetAddressValidator;
import org.apache.commons.validator.routines.checkdigit.LuhnCheckDigit;

/**
 * Value-level detectors, each precise on its own: payment cards by issuer range, length and Luhn
 * (Apache Commons Validator), US SSNs with the never-issued areas, groups and serials excluded,
 * IBANs by country length and ISO 7064 mod-97, e-mail addresses, phone numbers (libphonenumber,
 * only when written like a phone number), IP addresses, and these identifiers inside free text.
 */
public final class ValueDetectors {

    /** The reference the card scanner is held to (see {@link #knownScheme}). */
    static final CreditCardValidator CARDS = new CreditCardValidator(CreditCardValidator.AMEX
            + CreditCardValidator.VISA + CreditCardValidator.MASTERCARD + CreditCardValidator.DISCOVER
            + CreditCardValidator.DINERS + CreditCardValidator.VPAY);
    private static final EmailValidator EMAIL = EmailValidator.getInstance(false, false);
    private static final DomainValidator TLDS = DomainValidator.getInstance(false);
    private static final IBANValidator IBAN = IBANValidator.getInstance();
    private static final InetAddressValidator IP = InetAddressValidator.getInstance();
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private static final Pattern PHONE_SHAPE = Pattern.compile("\\+?[\\d ().-]{7,24}");
    private static final Pattern PHONE_PUNCTUATION = Pattern.compile("[+ ().-]");
    private static final Pattern EMBEDDED_EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern EMBEDDED_SSN = Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b");
    private static final Pattern EMBEDDED_CARD = Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b");
    private static final Pattern EMBEDDED_PHONE = Pattern.compile("(?:\\+\\d{1,3}[ .-]?)?\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}");
    private static final Pattern IBAN_SHAPE = Pattern.compile("[A-Z]{2}\\d{2}[A-Z0-9 ]{10,40}");

    private ValueDetectors() {}

    /**
     * A card number, bare or grouped by single spaces or dashes: 12 to 19 digits, an issuer prefix
     * and length of a known scheme, and a valid Luhn check digit.
     */
    public static boolean isPaymentCard(String value) {
        int n = value.length();
        if (n < 12 || n > 23) {
            return false;
        }
        char[] digits = new char[19];
        int count = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                if (count == 19) {
                    return false;
                }
                digits[count++] = c;
            } else if ((c == ' ' || c == '-') && i > 0 && i < n - 1 && isDigit(value.charAt(i - 1))
                    && isDigit(value.charAt(i + 1))) {
                continue;
            } else {
                return false;
            }
        }
        return count >= 12 && knownScheme(digits, count) && LuhnCheckDigit.LUHN_CHECK_DIGIT.isValid(new String(digits, 0, count));
    }

    /**
     * The issuer prefixes and lengths Commons Validator's card validators accept for American
     * Express, Visa and V Pay, Mastercard (2-series included), Discover and Diners Club, as numeric
     * comparisons instead of one regular expression per scheme ({@code ScannerEquivalenceTest}
     * holds the two together).
     */
    static boolean knownScheme(char[] d, int n) {
        int two = (d[0] - '0') * 10 + (d[1] - '0');
        int three = two * 10 + (d[2] - '0');
        int four = three * 10 + (d[3] - '0');
        return switch (d[0]) {
            case '4' -> n >= 13;
            case '3' -> (n == 15 && (two == 34 || two == 37))
                    || (n == 14 && ((three >= 300 && three <= 305) || four == 3095 || two == 36 || two == 38 || two == 39));
            case '5' -> n == 16 && two >= 51 && two <= 55;
            case '2' -> n == 16 && four >= 2221 && four <= 2720;
            case '6' -> (four == 6011 && (n == 16 || n == 17))
                    || (n == 16 && ((three >= 644 && three <= 649) || two == 65 || (three >= 622 && three <= 628)));
            default -> false;
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * SSA rules: area not 000, 666 or 900–999; group not 00; serial not 0000; and the publicised
     * invalid numbers. Accepts {@code ddd-dd-dddd} and {@code ddddddddd} (dashes optional each).
     */
    public static boolean isUsSsn(String value) {
        int n = value.length();
        if (n < 9 || n > 11) {
            return false;
        }
        int[] at = {0};
        int area = digits(value, at, 3);
        skipDash(value, at);
        int group = digits(value, at, 2);
        skipDash(value, at);
        int serial = digits(value, at, 4);
        return area >= 0 && group >= 0 && serial >= 0 && at[0] == n && validSsnParts(area, group, serial);
    }

    private static int digits(String value, int[] at, int count) {
        int result = 0;
        for (int k = 0; k < count; k++, at[0]++) {
            if (at[0] >= value.length()) {
                return -1;
            }
            char c = value.charAt(at[0]);
            if (c < '0' || c > '9') {
                return -1;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    private static void skipDash(String value, int[] at) {
        if (at[0] < value.length() && value.charAt(at[0]) == '-') {
            at[0]++;
        }
    }

    private static boolean validSsnParts(int area, int group, int serial) {
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
            return false;
        }
        return !(area == 78 && group == 5 && serial == 1120) && !(area == 219 && group == 9 && serial == 9999);
    }

    public static boolean isIban(String value) {
        if (value.length() < 15 || value.length() > 42) {
            return false;
        }
        String compact = value.replace(" ", "").toUpperCase(Locale.ROOT);
        return IBAN_SHAPE.matcher(compact).matches() && IBAN.isValid(compact);
    }

    public static boolean isEmail(String value) {
        if (value.length() > 254 || value.indexOf('@') <= 0) {
            return false;
        }
        int simple = simpleEmail(value);
        return simple >= 0 ? simple == 1 : EMAIL.isValid(value);
    }

    /**
     * The common shape of an address ({@code atom(.atom)*@label(.label)*.tld} in ASCII letters,
     * digits and {@code _%+-}) decided without the validator's regular expressions: 1 when valid,
     * 0 when invalid, -1 when the value is not of this shape and needs the full validator. Within
     * this shape the answer is the validator's (same length limits, same top-level-domain list);
     * {@code ValueDetectorsTest} checks the two agree.
     */
    static int simpleEmail(String value) {
        int at = value.indexOf('@');
        if (at <= 0 || at > 64 || value.length() - at - 1 > 253) {
            return -1;
        }
        char previous = '.';
        for (int i = 0; i < at; i++) {
            char c = value.charAt(i);
            if (c == '.') {
                if (previous == '.') {
                    return -1;
                }
            } else if (!isAsciiLetterOrDigit(c) && c != '_' && c != '%' && c != '+' && c != '-') {
                return -1;
            }
            previous = c;
        }
        if (previous == '.') {
            return -1;
        }
        int labelStart = at + 1;
        int labels = 0;
        for (int i = at + 1; i <= value.length(); i++) {
            char c = i == value.length() ? '.' : value.charAt(i);
            if (c == '.') {
                int length = i - labelStart;
                if (length < 1 || length > 63 || value.charAt(labelStart) == '-' || value.charAt(i - 1) == '-') {
                    return -1;
                }
                labels++;
                labelStart = i + 1;
            } else if (!isAsciiLetterOrDigit(c) && c != '-') {
                return -1;
            }
        }
        int tldStart = value.lastIndexOf('.') + 1;
        if (labels < 2 || tldStart <= at) {
            return -1;
        }
        for (int i = tldStart; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return -1;
            }
        }
        return TLDS.isValidTld(value.substring(tldStart)) ? 1 : 0;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /**
     * A phone number written as one: with a leading {@code +} or separators, valid for its region
     * (or for the US when it has no country code). Bare digit runs are not phones — they are ids.
     */
    public static boolean isPhone(String value) {
        if (value.length() < 7 || value.length() > 24 || !PHONE_SHAPE.matcher(value).matches()
                || !PHONE_PUNCTUATION.matcher(value).find()) {
            return false;
        }
        try {
            return PHONES.isValidNumber(PHONES.parse(value, value.startsWith("+") ? null : "US"));
        } catch (NumberParseException e) {
            return false;
        }
    }

    public static boolean isIpAddress(String value) {
        return value.length() <= 45 && (value.indexOf('.') > 0 || value.indexOf(':') >= 0) && IP.isValid(value);
    }

    /** A cheap pre-check: text can hold an identifier only if it has an '@' or at least seven digits. */
    public static boolean mightContainIdentifier(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '@') {
                return true;
            }
            if (c >= '0' && c <= '9' && ++digits >= 7) {
                return true;
            }
        }
        return false;
    }

    /** Identifiers inside longer text: e-mail, formatted SSN, card numbers, formatted phone numbers. */
    public static boolean containsIdentifier(String text) {
        if (text.length() < 8) {
            return false;
        }
        Matcher email = EMBEDDED_EMAIL.matcher(text);
        while (email.find()) {
            if (isEmail(email.group())) {
                return true;
            }
        }
        Matcher ssn = EMBEDDED_SSN.matcher(text);
        while (ssn.find()) {
            if (isUsSsn(ssn.group())) {
                return true;
            }
        }
        Matcher card = EMBEDDED_CARD.matcher(text);
        while (card.find()) {
            if (isPaymentCard(card.group())) {
                return true;
            }
        }
        Matcher phone = EMBEDDED_PHONE.matcher(text);
        while (phone.find()) {
            if (isPhone(phone.group())) {
                return true;
            }
        }
        return false;
    }

    /** Replaces every identifier found in {@code text} by a marker naming its kind. */
    public static String redactIdentifiers(String text) {
        if (!mightContainIdentifier(text)) {
            return text;
        }
        String redacted = replaceValid(text, EMBEDDED_EMAIL, ValueDetectors::isEmail, "[EMAIL]");
        redacted = replaceValid(redacted, EMBEDDED_SSN, ValueDetectors::isUsSsn, "[SSN]");
        redacted = replaceValid(redacted, EMBEDDED_CARD, ValueDetectors::isPaymentCard, "[CARD]");
        return replaceValid(redacted, EMBEDDED_PHONE, ValueDetectors::isPhone, "[PHONE]");
    }

    private static String replaceValid(String text, Pattern pattern, java.util.function.Predicate<String> valid,
            String marker) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, valid.test(m.group()) ? Matcher.quoteReplacement(marker) : Matcher.quoteReplacement(m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
