package dev.citadel.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.citadel.support.Api;
import dev.citadel.support.IntegrationTest;

/**
 * Bad input gets a clear 4xx problem (with the line where it is known) and stores nothing; a
 * fuzz-style run of hundreds of mutated files never produces a 5xx or a stored partial version.
 */
class MalformedUploadTest extends IntegrationTest {

    private String tenant;
    private String token;

    @BeforeEach
    void scientist() {
        tenant = fx.createTenant("malformed");
        token = fx.token(fx.member(tenant, "data-scientist"));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("ragged row", bytes("a,b,c\n1,2,3\n4,5\n"), 400, "dataset.invalid_csv", "line 3"),
                Arguments.of("extra field", bytes("a,b\n1,2\n3,4,5\n"), 400, "dataset.invalid_csv", "line 3"),
                Arguments.of("unterminated quote", bytes("a,b\n1,\"open\n2,3\n"), 400, "dataset.invalid_csv", null),
                Arguments.of("text after closing quote", bytes("a,b\n1,\"x\"y\n"), 400, "dataset.invalid_csv", null),
                Arguments.of("invalid UTF-8", concat(bytes("a,b\n1,"), new byte[] {(byte) 0xC3, (byte) 0x28}, bytes("\n")),
                        400, "dataset.invalid_encoding", null),
                Arguments.of("empty file", new byte[0], 400, "dataset.empty", null),
                Arguments.of("only blank lines", bytes("\n\n\n"), 400, "dataset.empty", null),
                Arguments.of("duplicate header", bytes("a,b,A\n1,2,3\n"), 400, "dataset.invalid_header", null),
                Arguments.of("blank header name", bytes("a,,c\n1,2,3\n"), 400, "dataset.invalid_header", null),
                Arguments.of("binary", concat(bytes("a,b\n1,"), new byte[] {0, 1, 2, 3}, bytes("\n")), 400,
                        "dataset.invalid_csv", "line 2"),
                Arguments.of("over-long field", bytes("a,b\n1," + "x".repeat(70_000) + "\n"), 400, "dataset.invalid_csv", null),
                Arguments.of("unclosed quote swallowing the file", bytes("a,b\n1,\"" + "y,".repeat(80_000) + "\n"), 400,
                        "dataset.invalid_csv", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void badInputIsAClearProblemAndStoresNothing(String name, byte[] body, int status, String code, String where) {
        int before = versions();
        Api.Response response = upload(body, "text/csv", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.code()).isEqualTo(code);
        if (where != null) {
            assertThat(response.json().path("detail").asString()).contains(where);
        }
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("xxxxxxxxxx");
        assertThat(versions()).isEqualTo(before);
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnName() {
        Api.Response response = upload(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes("id,value\n1,2\n")),
                "text/csv", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().path("schema").get(0).path("name").asString()).isEqualTo("id");
    }

    @Test
    void aGzipBombIsStoppedAtTheDecompressedSizeLimit() throws IOException {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
            gzip.write(bytes("a,b\n"));
            byte[] zeros = bytes("0,0\n".repeat(16_384));
            for (int i = 0; i < 1_500; i++) {
                gzip.write(zeros);
            }
        }
        assertThat(bomb.size()).isLessThan(1_000_000);
        int before = versions();
        Api.Response response = upload(bomb.toByteArray(), "text/csv", "gzip");
        assertThat(response.status()).as(response.toString()).isEqualTo(413);
        assertThat(response.code()).isEqualTo("dataset.too_large");
        assertThat(versions()).isEqualTo(before);
        assertThat(upload(bytes("a,b\n1,2\n"), "text/csv", "gzip").code()).isEqualTo("dataset.invalid_csv");
        assertThat(upload(bytes("a,b\n1,2\n"), "text/csv", "br").status()).isEqualTo(415);
        assertThat(upload(bytes("a,b\n1,2\n"), "application/json", null).status()).isEqualTo(415);
    }

    @Test
    void hundredsOfMutatedFilesNeverCauseA5xxOrAPartialVersion() {
        byte[] seed = bytes(PatientData.csv(30));
        Random random = new Random(5150);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            byte[] mutated = mutate(seed, random);
            int before = versions();
            Api.Response response = upload(mutated, "text/csv", null);
            statuses.add(response.status());
            assertThat(response.status()).as("mutation %d: %s", i, response).isLessThan(500);
            if (response.status() != 201) {
                assertThat(versions()).as("mutation %d stored nothing", i).isEqualTo(before);
                assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            }
        }
        assertThat(statuses).contains(201).anyMatch(s -> s == 400);
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] out = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(6)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] = '"';
                case 2 -> out[at] = ',';
                case 3 -> out[at] = '\n';
                case 4 -> out = java.util.Arrays.copyOf(out, Math.max(1, at));
                default -> out[at] = 0;
            }
        }
        return out;
    }

    private Api.Response upload(byte[] body, String contentType, String encoding) {
        HttpRequest.Builder request = api.request("/api/v1/tenants/" + tenant + "/datasets/fuzz/versions", token)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return api.send(request);
    }

    private int versions() {
        Api.Response response = api.get("/api/v1/tenants/" + tenant + "/datasets/fuzz/versions", token);
        return response.status() == 404 ? 0 : response.json().size();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

}
