package dev.citadel.privacy;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;


/** What a column header suggests about its content (a hint, never a verdict on its own). */
public final class HeaderHints {

    private static final Pattern SEPARATORS = Pattern.compile("[\\s_.-]+");

    private HeaderHints() {}

    public static Set<SensitiveKind> of(String header) {
        String h = " " + SEPARATORS.matcher(header.toLowerCase(Locale.ROOT)).replaceAll(" ").strip() + " ";
        Set<SensitiveKind> hints = EnumSet.noneOf(SensitiveKind.class);
        if (containsAny(h, " name ", " first name ", " last name ", " surname ", " given name ", " family name ",
                " full name ", " patient name ", " firstname ", " lastname ", " fullname ", " forename ")) {
            hints.add(SensitiveKind.PERSON_NAME);
        }
        if (containsAny(h, " address ", " street ", " addr ", " home address ", " residence ", " address line ")) {
            hints.add(SensitiveKind.STREET_ADDRESS);
        }
        if (containsAny(h, " dob ", " birth ", " birthdate ", " date of birth ", " born ", " birthday ")) {
            hints.add(SensitiveKind.DATE_OF_BIRTH);
        }
        if (containsAny(h, " ssn ", " social security ", " social ")) {
            hints.add(SensitiveKind.US_SSN);
        }
        if (containsAny(h, " email ", " e mail ", " mail ")) {
            hints.add(SensitiveKind.EMAIL);
        }
        if (containsAny(h, " phone ", " telephone ", " tel ", " mobile ", " cell ", " fax ")) {
            hints.add(SensitiveKind.PHONE);
        }
        if (containsAny(h, " card ", " credit card ", " cc ", " pan ", " card number ")) {
            hints.add(SensitiveKind.PAYMENT_CARD);
        }
        if (containsAny(h, " iban ", " account ", " bank ")) {
            hints.add(SensitiveKind.IBAN);
        }
        if (containsAny(h, " ip ", " ip address ", " ipv4 ", " ipv6 ", " client ip ")) {
            hints.add(SensitiveKind.IP_ADDRESS);
        }
        return hints;
    }

    private static boolean containsAny(String text, String... needles) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
