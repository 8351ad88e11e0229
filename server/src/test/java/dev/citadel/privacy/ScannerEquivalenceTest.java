package dev.citadel.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.validator.routines.EmailValidator;
import org.junit.jupiter.api.Test;

/**
 * The detectors' hand-written scanners (kept for speed: they run on every value of every upload)
 * must answer exactly what the patterns and validators they replace answer. Each is compared on
 * hundreds of thousands of random strings drawn from an alphabet of the characters that matter.
 */
class ScannerEquivalenceTest {

    private static final int SAMPLES = 200_000;

    @Test
    void theEmailFastPathAgreesWithCommonsValidatorWheneverItDecides() {
        EmailValidator validator = EmailValidator.getInstance(false, false);
        Random random = new Random(11);
        String[] tlds = {"org", "com", "io", "zz", "example", "c0m", "museum", "x", "de", ""};
        int decided = 0;
        for (int i = 0; i < SAMPLES; i++) {
            StringBuilder domain = new StringBuilder();
            for (int label = random.nextInt(3); label >= 0; label--) {
                domain.append(random(random, "ab-9", 1 + random.nextInt(6))).append('.');
            }
            String local = random(random, random.nextInt(20) == 0 ? "ab.Z9_%+-@\" (" : "ab.Z9_%+-", 1 + random.nextInt(12));
            String value = local + "@" + domain + tlds[random.nextInt(tlds.length)];
            int fast = ValueDetectors.simpleEmail(value);
            if (fast >= 0) {
                decided++;
                assertThat(fast == 1).as(value).isEqualTo(validator.isValid(value));
            }
            assertThat(ValueDetectors.isEmail(value)).as(value).isEqualTo(value.indexOf('@') > 0 && validator.isValid(value));
        }
        assertThat(decided).as("the fast path decides most generated values").isGreaterThan(SAMPLES / 10);
    }

    @Test
    void theCardScannerAgreesWithCommonsValidatorsCardSchemes() {
        Pattern shape = Pattern.compile("\\d(?:[ -]?\\d){11,18}");
        String[] prefixes = {"4", "34", "37", "300", "305", "306", "3095", "3096", "36", "38", "39", "51", "55", "56",
            "2221", "2220", "2500", "2720", "2721", "6011", "644", "649", "65", "622", "628", "629", "1", "7", "9"};
        Random random = new Random(17);
        int valid = 0;
        for (int i = 0; i < SAMPLES; i++) {
            StringBuilder digits = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            int length = 11 + random.nextInt(10);
            while (digits.length() < length) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            String value = digits.toString();
            if (random.nextInt(4) == 0) {
                int at = 1 + random.nextInt(value.length() - 1);
                value = value.substring(0, at) + (random.nextBoolean() ? " " : random.nextBoolean() ? "-" : "--")
                        + value.substring(at);
            }
            boolean expected = value.length() >= 12 && value.length() <= 23 && shape.matcher(value).matches()
                    && ValueDetectors.CARDS.isValid(value.replace(" ", "").replace("-", ""));
            valid += expected ? 1 : 0;
            assertThat(ValueDetectors.isPaymentCard(value)).as(value).isEqualTo(expected);
        }
        assertThat(valid).as("the generator reaches valid numbers").isGreaterThan(1_000);
    }

    @Test
    void theNameScannerIsThePattern() {
        agree(ColumnDetector.NAME, ColumnDetector::looksLikeName, "AbzÉé' -.’1", 14, 1);
    }

    @Test
    void theDateScannerIsThePattern() {
        agree(ColumnDetector.DATE, ColumnDetector::looksLikeDate, "0129-/", 11, 2);
    }

    @Test
    void theDateLikeScannerIsThePattern() {
        agree(ColumnDetector.DATE_LIKE, ColumnDetector::dateLike, "0129-/.T ", 13, 4);
    }

    @Test
    void theSsnScannerIsTheFormerPatternWithTheSameExclusions() {
        Pattern ssn = Pattern.compile("(\\d{3})-?(\\d{2})-?(\\d{4})");
        Random random = new Random(3);
        for (int i = 0; i < SAMPLES; i++) {
            String value = random(random, "0123456789-6", 8 + random.nextInt(5));
            Matcher m = ssn.matcher(value);
            boolean expected = m.matches() && validSsn(m.group(1), m.group(2), m.group(3));
            assertThat(ValueDetectors.isUsSsn(value)).as(value).isEqualTo(expected);
        }
        assertThat(ValueDetectors.isUsSsn("078-05-1120")).isFalse();
        assertThat(ValueDetectors.isUsSsn("219-09-9999")).isFalse();
        assertThat(ValueDetectors.isUsSsn("123-45-6789")).isTrue();
    }

    private static boolean validSsn(String area, String group, String serial) {
        int a = Integer.parseInt(area);
        String joined = area + group + serial;
        return a != 0 && a != 666 && a < 900 && !group.equals("00") && !serial.equals("0000")
                && !joined.equals("078051120") && !joined.equals("219099999");
    }

    private static void agree(Pattern pattern, Predicate<String> scanner, String alphabet, int maxLength, long seed) {
        Random random = new Random(seed);
        int matched = 0;
        for (int i = 0; i < SAMPLES; i++) {
            String value = random(random, alphabet, 1 + random.nextInt(maxLength));
            boolean expected = pattern.matcher(value).matches();
            matched += expected ? 1 : 0;
            assertThat(scanner.test(value)).as(value).isEqualTo(expected);
        }
        assertThat(matched).as("the generator reaches matching values").isGreaterThan(100);
    }

    static String random(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
