package dev.citadel.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.citadel.platform.Secret;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Webhook signatures: HMAC-SHA256 against RFC 4231, the header format pinned, secrets fresh and well-formed. */
class WebhookSignaturesTest {

    static Stream<Arguments> rfc4231() throws Exception {
        try (InputStream in = WebhookSignaturesTest.class.getResourceAsStream("/vectors/rfc4231-hmac-sha256.json")) {
            JsonNode doc = JsonMapper.builder().build().readTree(in);
            Stream.Builder<Arguments> cases = Stream.builder();
            for (JsonNode vector : doc.path("vectors")) {
                cases.add(Arguments.of(vector.path("case").asString(), HexFormat.of().parseHex(vector.path("key").asString()),
                        HexFormat.of().parseHex(vector.path("data").asString()), vector.path("hmacSha256").asString()));
            }
            return cases.build();
        }
    }

    @ParameterizedTest(name = "RFC 4231 test case {0}")
    @MethodSource("rfc4231")
    void hmacMatchesRfc4231Vectors(String name, byte[] key, byte[] data, String expected) {
        assertThat(HexFormat.of().formatHex(WebhookSignatures.hmacSha256(key, data))).isEqualTo(expected);
        // the message may come in parts (timestamp, then body): the same MAC
        byte[] head = java.util.Arrays.copyOf(data, data.length / 2);
        byte[] tail = java.util.Arrays.copyOfRange(data, data.length / 2, data.length);
        assertThat(HexFormat.of().formatHex(WebhookSignatures.hmacSha256(key, head, tail))).isEqualTo(expected);
    }

    /** The documented format, pinned by a value computed independently with Python's {@code hmac} module. */
    @Test
    void theHeaderIsTimestampAndHexHmacOfTimestampDotBody() {
        Secret secret = Secret.of("whsec_5rOAbDw8nLzAkpVzfnR0HPSSXQJdMmNzHTzjyomUnkA");
        byte[] body = "{\"id\":\"2b2f5b4e-7d0e-4c8e-9a43-1f2c0d9e6a11\",\"type\":\"security\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignatures.header(secret, 1_700_000_000L, body))
                .isEqualTo("t=1700000000,v1=3f131de1d1388b6f27fa940518611516edbd5ee5c2360444dcd00c49c0125c1b");
    }

    @Test
    void secretsAreWhsecAnd32RandomBytesNeverRepeated() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String secret = WebhookSignatures.newSecret().reveal();
            assertThat(secret).matches("whsec_[A-Za-z0-9_-]{43}");
            assertThat(java.util.Base64.getUrlDecoder().decode(secret.substring(6))).hasSize(32);
            assertThat(seen.add(secret)).isTrue();
        }
    }
}
