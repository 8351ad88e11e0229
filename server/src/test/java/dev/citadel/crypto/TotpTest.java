package dev.citadel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** TOTP against the published RFC 6238 Appendix B vectors, plus the drift and format rules. */
class TotpTest {

    static Stream<Arguments> rfc6238() throws Exception {
        try (InputStream in = TotpTest.class.getResourceAsStream("/vectors/rfc6238-totp.json")) {
            JsonNode doc = JsonMapper.builder().build().readTree(in);
            Stream.Builder<Arguments> cases = Stream.builder();
            for (JsonNode vector : doc.path("vectors")) {
                for (String algorithm : new String[] {"HmacSHA1", "HmacSHA256", "HmacSHA512"}) {
                    cases.add(Arguments.of(algorithm, HexFormat.of().parseHex(doc.path("seeds").path(algorithm).asString()),
                            vector.path("time").asLong(), vector.path(algorithm).asString()));
                }
            }
            return cases.build();
        }
    }

    @ParameterizedTest(name = "{0} at T={2} gives {3}")
    @MethodSource("rfc6238")
    void matchesRfc6238Vectors(String algorithm, byte[] seed, long time, String expected) {
        assertThat(Totp.code(seed, Totp.step(Instant.ofEpochSecond(time)), algorithm, 8)).isEqualTo(expected);
    }

    @Test
    void acceptsOneStepOfDriftEitherWayAndReportsTheStep() {
        byte[] secret = Totp.decodeSecret(Totp.newSecret(new java.security.SecureRandom()));
        Instant now = Instant.parse("2026-01-01T00:00:15Z");
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(secret, Totp.code(secret, step - 1), now)).hasValue(step - 1);
        assertThat(Totp.matchingStep(secret, Totp.code(secret, step), now)).hasValue(step);
        assertThat(Totp.matchingStep(secret, Totp.code(secret, step + 1), now)).hasValue(step + 1);
    }

    @Test
    void refusesCodesTwoStepsAwayAndMalformedCodes() {
        byte[] secret = Totp.decodeSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        Instant now = Instant.parse("2026-01-01T00:00:15Z");
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(secret, Totp.code(secret, step - 2), now)).isEmpty();
        assertThat(Totp.matchingStep(secret, Totp.code(secret, step + 2), now)).isEmpty();
        assertThat(Totp.matchingStep(secret, null, now)).isEmpty();
        assertThat(Totp.matchingStep(secret, "12345", now)).isEmpty();
        assertThat(Totp.matchingStep(secret, "12345a", now)).isEmpty();
        assertThat(Totp.matchingStep(secret, "1234567", now)).isEmpty();
    }

    @Test
    void newSecretsAre160BitBase32AndTheUriNamesIssuerAndAccount() {
        String secret = Totp.newSecret(new java.security.SecureRandom());
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(Totp.decodeSecret(secret)).hasSize(20);
        assertThat(Totp.uri("Citadel", "alice@example.org", secret))
                .startsWith("otpauth://totp/Citadel:alice%40example.org?secret=" + secret)
                .contains("issuer=Citadel", "digits=6", "period=30");
    }
}
