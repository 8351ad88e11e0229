package dev.citadel.datasets.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The type expectations' scanners answer what the documented pattern and the JDK's date parser answer. */
class ValidatorTypesTest {

    @Test
    void integersAreThePattern() {
        Pattern integer = Pattern.compile("[-+]?\\d{1,18}");
        Random random = new Random(2);
        for (int i = 0; i < 200_000; i++) {
            String v = random(random, "0123456789+-x", 1 + random.nextInt(21));
            assertThat(Validator.isInteger(v)).as(v).isEqualTo(integer.matcher(v).matches());
        }
    }

    @Test
    void datesAreWhatLocalDateParses() {
        Random random = new Random(4);
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            String v = random.nextBoolean()
                    ? String.format("%04d-%02d-%02d", random.nextInt(3000), random.nextInt(14), random.nextInt(33))
                    : random(random, "0129-+", 8 + random.nextInt(5));
            boolean expected;
            try {
                LocalDate.parse(v);
                expected = true;
            } catch (DateTimeParseException e) {
                expected = false;
            }
            valid += expected ? 1 : 0;
            assertThat(Validator.isIsoDate(v)).as(v).isEqualTo(expected);
        }
        assertThat(valid).isGreaterThan(10_000);
        assertThat(Validator.isIsoDate("2024-02-29")).isTrue();
        assertThat(Validator.isIsoDate("2023-02-29")).isFalse();
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
