package dev.citadel.identity.password;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import com.nulabinc.zxcvbn.matchers.Match;

import org.springframework.stereotype.Component;

import dev.citadel.platform.Secret;

/**
 * Password rules after NIST SP 800-63B §5.1.1.2 and OWASP ASVS 5.0 §6.2: at least 12 characters,
 * at most 128, no composition rules, and a refusal of common, guessable and known-breached
 * passwords checked offline with zxcvbn's dictionaries (which include the most common passwords
 * from public breach corpora) and against the user's own name.
 */
@Component
public class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;
    /** zxcvbn score 0–4; 3 means "safely unguessable: moderate protection from offline attack". */
    static final int MIN_SCORE = 3;

    private final Zxcvbn zxcvbn = new Zxcvbn();

    /** Returns the reasons the password is refused; empty when it is acceptable. */
    public List<String> problems(Secret password, String username) {
        List<String> problems = new ArrayList<>();
        int length = password.reveal().codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            problems.add("must be at least " + MIN_LENGTH + " characters");
            return problems;
        }
        if (length > MAX_LENGTH) {
            problems.add("must be at most " + MAX_LENGTH + " characters");
            return problems;
        }
        String lower = password.reveal().toLowerCase(Locale.ROOT);
        if (username != null && username.length() >= 3 && lower.contains(username.toLowerCase(Locale.ROOT))) {
            problems.add("must not contain the username");
        }
        Strength strength = zxcvbn.measure(password.reveal(), username == null ? List.of() : List.of(username, "citadel"));
        if (isKnownPassword(strength)) {
            problems.add("is a commonly used or breached password");
        } else if (strength.getScore() < MIN_SCORE) {
            problems.add("is too easy to guess (try a longer passphrase of unrelated words)");
        }
        return problems;
    }

    /** The whole password is one entry of the common-passwords dictionary (with simple variations). */
    private static boolean isKnownPassword(Strength strength) {
        List<Match> sequence = strength.getSequence();
        return sequence.size() == 1 && "passwords".equals(sequence.getFirst().dictionaryName);
    }
}
