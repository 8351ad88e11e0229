package dev.citadel.privacy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import org.apache.commons.validator.routines.CreditCardValidator;
import org.apache.commons.validator.routines.EmailValidator;
import org.apache.commons.validator.routines.IBANValidator;
import org.apache.commons.validator.routines.InetAddressValidator;

/**
 * Value-level detectors, each precise on its own: payment cards by issuer range, length and Luhn
 * (Apache Commons Validator), US SSNs with the never-issued areas, groups and serials excluded,
 * IBANs by country length and ISO 7064 mod-97, e-mail addresses, phone numbers (libphonenumber,
 * only when written like a phone number), IP addresses, and these identifiers inside free text.
 */
public final class ValueDetectors {

    private static final CreditCardValidator CARDS = new CreditCardValidator(CreditCardValidator.AMEX
            + CreditCardValidator.VISA + CreditCardValidator.MASTERCARD + CreditCardValidator.DISCOVER
            + CreditCardValidator.DINERS + CreditCardValidator.VPAY);
    private static final EmailValidator EMAIL = EmailValidator.getInstance(false, false);
    private static final IBANValidator IBAN = IBANValidator.getInstance();
    private static final InetAddressValidator IP = InetAddressValidator.getInstance();
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private static final Pattern CARD_SHAPE = Pattern.compile("\\d(?:[ -]?\\d){11,18}");
    private static final Pattern SSN = Pattern.compile("(\\d{3})-?(\\d{2})-?(\\d{4})");
    private static final Pattern SSN_FORMATTED = Pattern.compile("(\\d{3})-(\\d{2})-(\\d{4})");
    private static final Pattern PHONE_SHAPE = Pattern.compile("\\+?[\\d ().-]{7,24}");
    private static final Pattern PHONE_PUNCTUATION = Pattern.compile("[+ ().-]");
    private static final Pattern EMBEDDED_EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern EMBEDDED_SSN = Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b");
    private static final Pattern EMBEDDED_CARD = Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b");
    private static final Pattern EMBEDDED_PHONE = Pattern.compile("(?:\\+\\d{1,3}[ .-]?)?\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}");
    private static final Pattern IBAN_SHAPE = Pattern.compile("[A-Z]{2}\\d{2}[A-Z0-9 ]{10,40}");

    private ValueDetectors() {}

    public static boolean isPaymentCard(String value) {
        if (value.length() < 12 || value.length() > 23 || !CARD_SHAPE.matcher(value).matches()) {
            return false;
        }
        return CARDS.isValid(value.replace(" ", "").replace("-", ""));
    }

    /** SSA rules: area not 000, 666 or 900–999; group not 00; serial not 0000; and the publicised invalid numbers. */
    public static boolean isUsSsn(String value) {
        Matcher m = SSN.matcher(value);
        return m.matches() && validSsnParts(m.group(1), m.group(2), m.group(3));
    }

    private static boolean validSsnParts(String area, String group, String serial) {
        int a = Integer.parseInt(area);
        if (a == 0 || a == 666 || a >= 900 || group.equals("00") || serial.equals("0000")) {
            return false;
        }
        String joined = area + group + serial;
        return !joined.equals("078051120") && !joined.equals("219099999");
    }

    public static boolean isIban(String value) {
        if (value.length() < 15 || value.length() > 42) {
            return false;
        }
        String compact = value.replace(" ", "").toUpperCase(Locale.ROOT);
        return IBAN_SHAPE.matcher(compact).matches() && IBAN.isValid(compact);
    }

    public static boolean isEmail(String value) {
        return value.length() <= 254 && value.indexOf('@') > 0 && EMAIL.isValid(value);
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
            Matcher parts = SSN_FORMATTED.matcher(ssn.group());
            if (parts.matches() && validSsnParts(parts.group(1), parts.group(2), parts.group(3))) {
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
