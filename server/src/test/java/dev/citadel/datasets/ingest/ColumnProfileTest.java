package dev.citadel.datasets.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Schema inference scans characters instead of running patterns on every value; these tests hold
 * the scanner to the patterns the schema documents and to the JDK's own number parsing.
 */
class ColumnProfileTest {

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d{1,3})?");

    @Test
    void numbersAreRecognisedAndConvertedExactlyAsTheParserWould() {
        Random random = new Random(5);
        String alphabet = "0123456789.-+eE";
        int numeric = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder value = new StringBuilder();
            int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 24 : 8);
            for (int k = 0; k < length; k++) {
                value.append(k > 0 && random.nextInt(3) > 0 ? (char) ('0' + random.nextInt(10))
                        : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String v = value.toString();
            ColumnProfile profile = new ColumnProfile("x");
            profile.observe(v);
            ColumnSchema schema = profile.result(false);
            boolean integer = INTEGER.matcher(v).matches();
            boolean decimal = integer || DECIMAL.matcher(v).matches();
            if (integer) {
                assertThat(schema.type()).as(v).isEqualTo("integer");
            } else if (decimal) {
                assertThat(schema.type()).as(v).isEqualTo("decimal");
            } else {
                assertThat(schema.type()).as(v).isIn("text", "date", "timestamp", "categorical");
            }
            if (decimal) {
                numeric++;
                assertThat(schema.min()).as(v).isEqualTo(Double.parseDouble(v));
            }
        }
        assertThat(numeric).isGreaterThan(20_000);
    }

    @Test
    void aColumnTakesTheNarrowestTypeEveryValueFits() {
        assertThat(type("1", "2", "-3")).isEqualTo("integer");
        assertThat(type("1", "2.5", "-3e2")).isEqualTo("decimal");
        assertThat(type("2026-01-02", "1999-12-31")).isEqualTo("date");
        assertThat(type("2026-01-02T10:00:00Z", "2026-01-02 10:00")).isEqualTo("timestamp");
        assertThat(type("yes", "No", "TRUE")).isEqualTo("boolean");
        assertThat(type("a", "b", "a", "b", "a")).isEqualTo("categorical");
        assertThat(type("1", "two")).isEqualTo("text");
        assertThat(type("NA", "", "null")).isEqualTo("text");
    }

    @Test
    void statisticsAndNullsAreCounted() {
        ColumnProfile profile = new ColumnProfile("glucose");
        for (String v : new String[] {"70.5", "NA", "", "120", "99.25", "n/a"}) {
            profile.observe(v);
        }
        ColumnSchema schema = profile.result(false);
        assertThat(schema.type()).isEqualTo("decimal");
        assertThat(schema.nullCount()).isEqualTo(3);
        assertThat(schema.min()).isEqualTo(70.5);
        assertThat(schema.max()).isEqualTo(120.0);
        assertThat(schema.mean()).isCloseTo((70.5 + 120 + 99.25) / 3, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aSensitiveColumnShowsNoValuesOfItsOwn() {
        ColumnProfile profile = new ColumnProfile("ssn");
        for (String v : new String[] {"123456789", "234567890", "123456789"}) {
            profile.observe(v);
        }
        ColumnSchema schema = profile.result(true);
        assertThat(schema.type()).isEqualTo("integer");
        assertThat(schema.min()).isNull();
        assertThat(schema.max()).isNull();
        assertThat(schema.mean()).isNull();
        assertThat(schema.topValues()).isNull();
    }

    @Test
    void theMeanDoesNotDependOnTheOrderOfValues() {
        java.util.List<String> values = new java.util.ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            values.add((random.nextInt(2_000_000) - 1_000_000) + "." + random.nextInt(1000) + (i % 97 == 0 ? "e1" : ""));
        }
        Double first = null;
        for (int shuffle = 0; shuffle < 5; shuffle++) {
            java.util.Collections.shuffle(values, random);
            ColumnProfile a = new ColumnProfile("x");
            ColumnProfile b = new ColumnProfile("x");
            for (int i = 0; i < values.size(); i++) {
                (i % 3 == 0 ? a : b).observe(values.get(i));
            }
            a.merge(b);
            Double mean = a.result(false).mean();
            if (first == null) {
                first = mean;
            }
            assertThat(mean).isEqualTo(first);
        }
    }

    private static String type(String... values) {
        ColumnProfile profile = new ColumnProfile("c");
        for (String v : values) {
            profile.observe(v);
        }
        return profile.result(false).type();
    }
}
