package dev.citadel.identity.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The firewall's header predicates accept exactly what Spring Security's default expressions accept. */
class HeaderCharactersTest {

    /** Spring Security's defaults (StrictHttpFirewall): names, and values, which may also hold tabs. */
    private static final Pattern SPRING_NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern SPRING_VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointIsJudgedAsSpringJudgesIt() {
        int disagreements = 0;
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String alone = new String(Character.toChars(codePoint));
            String inText = "Bearer a" + alone + "b";
            for (String candidate : new String[] {alone, inText}) {
                if (HeaderCharacters.NAME.test(candidate) != SPRING_NAME.matcher(candidate).matches()
                        || HeaderCharacters.VALUE.test(candidate) != SPRING_VALUE.matcher(candidate).matches()) {
                    disagreements++;
                }
            }
        }
        assertThat(disagreements).isZero();
    }

    @Test
    void loneSurrogatesAndTypicalHeadersAreJudgedAsSpringJudgesThem() {
        for (String candidate : new String[] {"", "\uD800", "a\uDC00b", "\uDBFF\uDFFF", "application/json", "a\tb",
                "a\u0000b", "a\u007Fb", "a\u009Fb", "a\u00A0b", "Bearer eyJhbGciOiJFUzI1NiJ9.e30.sig", "\u0378"}) {
            assertThat(HeaderCharacters.NAME.test(candidate)).as(candidate).isEqualTo(SPRING_NAME.matcher(candidate).matches());
            assertThat(HeaderCharacters.VALUE.test(candidate)).as(candidate).isEqualTo(SPRING_VALUE.matcher(candidate).matches());
        }
        assertThat(HeaderCharacters.VALUE.test("a\tb")).isTrue();
        assertThat(HeaderCharacters.NAME.test("a\tb")).isFalse();
        assertThat(HeaderCharacters.VALUE.test("a\u0085b")).isFalse();
    }
}
