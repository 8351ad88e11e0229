package dev.citadel.auditverifier;

import static dev.citadel.auditverifier.TrailFixture.FOREIGN;
import static dev.citadel.auditverifier.TrailFixture.KEY;
import static dev.citadel.auditverifier.TrailFixture.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.citadel.auditverifier.TrailFixture.Row;
import dev.citadel.auditverifier.TrailFixture.Trail;

/**
 * The export format: what is written reads back exactly, and every malformed or incomplete file
 * gives an invalid report with a problem — never an exception.
 */
class AuditExportTest {

    /** 20 entries, checkpoints at 5, 10, 15, 20: line 0 the header, 1–4 checkpoints, 5 the head,
     *  5 + k entry k, 26 the end. */
    static final Trail TRAIL = TrailFixture.genuine(20, 5);
    static final List<String> LINES = TRAIL.lines();
    static final int HEAD = 5;
    static final int END = 26;
    static final Map<String, PublicKey> KEYS = keys(KEY);

    static int entry(int seq) {
        return HEAD + seq;
    }

    // --- writing and reading back --------------------------------------------------------------------

    @Test
    void aGenuineExportVerifies() {
        ChainVerifier.Report report = TrailFixture.verifyText(TRAIL.export(), KEYS, List.of());
        assertThat(report.valid()).as("%s", report).isTrue();
        assertThat(report.entries()).isEqualTo(20);
        assertThat(report.latestCheckpoint().size()).isEqualTo(20);
        assertThat(LINES).hasSize(27);
        // The newline after the end line is optional; nothing may follow it.
        assertThat(TrailFixture.verifyText(String.join("\n", LINES), KEYS, List.of()).valid()).isTrue();
    }

    @Test
    void everyEntryReadsBackExactlyAndItsHashRecomputes() {
        Random random = new Random(7);
        List<CanonicalEntry> entries = new ArrayList<>(TRAIL.rows().stream().map(Row::entry).toList());
        for (int i = 0; i < 300; i++) {
            entries.add(ChainVerifierTest.randomEntry(random, ChainVerifierTest.randomText(random, 5),
                    random.nextLong()));
        }
        entries.add(new CanonicalEntry(null, Long.MAX_VALUE, null, null, null, null, null, null, null, null, null,
                null));
        entries.add(new CanonicalEntry("t", Long.MIN_VALUE, "", "", "", "", "", "", "", "", "", new TreeMap<>()));
        byte[] previous = CanonicalEntry.genesis();
        for (CanonicalEntry entry : entries) {
            byte[] hash = entry.chainHash(previous);
            AuditExport.EntryLine read = AuditExport.parseEntry(AuditExport.entryLine(entry, previous, hash));
            assertThat(read.entry()).isEqualTo(entry);
            assertThat(read.entry().bytes()).isEqualTo(entry.bytes());
            assertThat(read.entry().chainHash(read.prevHash())).isEqualTo(hash);
            assertThat(read.hash()).isEqualTo(hash);
            previous = hash;
        }
    }

    @Test
    void linesHaveTheDocumentedShape() {
        byte[] hash = new byte[32];
        hash[31] = 7;
        String b64 = Base64.getEncoder().encodeToString(hash);
        assertThat(AuditExport.headLine(3, hash)).isEqualTo("{\"type\":\"head\",\"seq\":3,\"hash\":\"" + b64 + "\"}");
        assertThat(AuditExport.endLine(5)).isEqualTo("{\"type\":\"end\",\"entries\":5}");
        assertThat(fieldNames(LINES.get(entry(1)))).containsExactly("type", "v", "tenant", "seq", "eventId", "time",
                "actor", "action", "targetType", "targetId", "outcome", "requestId", "source", "details",
                "prevHash", "hash");
        assertThat(fieldNames(LINES.get(1))).containsExactly("type", "tenant", "size", "root", "chainHead", "time",
                "keyId", "signature");
        JsonNode header = AuditExport.JSON.readTree(LINES.getFirst());
        assertThat(fieldNames(LINES.getFirst())).containsExactly("type", "format", "tenant", "exportedAt", "keys");
        assertThat(header.get("format").stringValue()).isEqualTo(AuditExport.FORMAT);
        assertThat(header.get("keys").get(0).get("keyId").stringValue()).isEqualTo(TrailFixture.keyId(KEY));
        assertThat(header.get("keys").get(0).get("publicKey").stringValue())
                .isEqualTo(AuditKeys.toPem(KEY.getPublic().getEncoded()));
        CanonicalEntry nulls = new CanonicalEntry("t", 1, "e", "x", "a", "b", null, null, "success", null, null,
                new TreeMap<>());
        assertThat(AuditExport.entryLine(nulls, CanonicalEntry.genesis(), hash))
                .contains("\"targetType\":null,\"targetId\":null").contains("\"details\":{}");
    }

    @Test
    void aCheckpointReadsBackAsWrittenAndAlsoPrettyPrinted() {
        SignedCheckpoint written = TRAIL.checkpointAt(10);
        for (String text : List.of(AuditExport.checkpointLine(written),
                AuditExport.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                        AuditExport.JSON.readTree(AuditExport.checkpointLine(written))))) {
            SignedCheckpoint read = AuditExport.parseCheckpoint(text);
            assertThat(read.sameTree(written)).isTrue();
            assertThat(read.chainHead()).isEqualTo(written.chainHead());
            assertThat(read.signature()).isEqualTo(written.signature());
            assertThat(read.signedMessage()).isEqualTo(written.signedMessage());
            assertThat(read.keyId()).isEqualTo(written.keyId());
        }
    }

    @Test
    void theWriterRefusesWhatItCouldNotReadBack() {
        TreeMap<String, String> details = new TreeMap<>();
        details.put("reason", null);
        CanonicalEntry entry = new CanonicalEntry("t", 1, "e", "x", "a", "b", null, null, "success", null, null,
                details);
        assertThatThrownBy(() -> AuditExport.entryLine(entry, CanonicalEntry.genesis(), new byte[32]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditExport.headLine(1, new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditExport.headerLine("t", TrailFixture.EXPORTED_AT,
                Map.of("0000000000000000", KEY.getPublic().getEncoded())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseCheckpointRefusesAnythingElse() {
        for (String bad : List.of("", "nonsense", "[]", LINES.get(HEAD), LINES.getFirst(),
                LINES.get(1).replace("\"size\":5", "\"size\":0"), LINES.get(1).replace("}", ",\"x\":1}"))) {
            assertThatThrownBy(() -> AuditExport.parseCheckpoint(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    // --- the keys in the header ------------------------------------------------------------------------

    @Test
    void theKeysInTheHeaderAreNeverUsed() {
        String signedByKeyListingKey = TRAIL.export();
        assertThat(TrailFixture.verifyText(signedByKeyListingKey, Map.of(), List.of()))
                .returns(false, ChainVerifier.Report::valid).returns(1L, ChainVerifier.Report::firstInvalidEntry);
        assertThat(TrailFixture.verifyText(signedByKeyListingKey, keys(FOREIGN), List.of()).valid()).isFalse();
        assertThat(TrailFixture.verifyText(signedByKeyListingKey, keys(KEY), List.of()).valid()).isTrue();

        String signedByKeyListingForeign = TRAIL.withHeaderKeys(TrailFixture.spkiByKeyId(FOREIGN)).export();
        assertThat(TrailFixture.verifyText(signedByKeyListingForeign, keys(FOREIGN), List.of()).valid()).isFalse();
        assertThat(TrailFixture.verifyText(signedByKeyListingForeign, keys(KEY), List.of()).valid()).isTrue();
    }

    // --- malformed lines -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedExports")
    void aMalformedExportIsInvalidWithAProblem(String description, UnaryOperator<List<String>> change,
            long firstInvalid, String problem) {
        List<String> lines = change.apply(new ArrayList<>(LINES));
        ChainVerifier.Report report = TrailFixture.verifyText(TrailFixture.text(lines), KEYS, List.of());
        assertThat(report.valid()).as("%s", report).isFalse();
        assertThat(report.firstInvalidEntry()).as("%s", report).isEqualTo(firstInvalid);
        assertThat(report.problem()).contains(problem);
    }

    static Stream<Arguments> malformedExports() {
        String big = "x".repeat(AuditExport.MAX_LINE_BYTES);
        return Stream.of(
                // before any entry: reported at entry 1
                malformed("an unknown line type", l -> insert(l, 1, "{\"type\":\"note\",\"text\":\"hi\"}"), 1,
                        "unknown line type \"note\""),
                malformed("control characters in an unknown type", l -> insert(l, 1, "{\"type\":\"\\u001b[2J\"}"), 1,
                        "unknown line type \"\\u001b[2J\""),
                malformed("a very long unknown type", l -> insert(l, 1, "{\"type\":\"" + "y".repeat(500) + "\"}"), 1,
                        "unknown line type \"" + "y".repeat(64) + "…\""),
                malformed("a line without a type", l -> edit(l, 2, o -> o.remove("type")), 1,
                        "missing field \"type\""),
                malformed("no header first", l -> swap(l, 0, 1), 1, "does not start with a header"),
                malformed("a second header", l -> insert(l, 2, LINES.getFirst()), 1, "a second header"),
                malformed("a checkpoint after the head", l -> { l.add(HEAD, l.remove(1)); return l; }, 1,
                        "a checkpoint line after the head line"),
                malformed("checkpoints out of order", l -> swap(l, 1, 2), 1, "do not ascend"),
                malformed("a repeated checkpoint", l -> insert(l, 2, LINES.get(1)), 1, "do not ascend"),
                malformed("a second head", l -> insert(l, HEAD + 1, LINES.get(HEAD)), 1, "a second head"),
                malformed("an entry before the head", l -> swap(l, HEAD, HEAD + 1), 1,
                        "an entry line before the head"),
                malformed("an end before the head", l -> insert(l, HEAD, LINES.get(END)), 1,
                        "an end line before the head"),
                malformed("a checkpoint root not base64", l -> edit(l, 1, o -> o.put("root", "!!!!")), 1,
                        "\"root\" is not base64"),
                malformed("a checkpoint root of 31 bytes", l -> edit(l, 1, o -> o.put("root", b64(31))), 1,
                        "\"root\" is not a 32-byte hash"),
                malformed("a checkpoint chain head of 33 bytes",
                        l -> edit(l, 2, o -> o.put("chainHead", b64(33))), 1, "\"chainHead\" is not a 32-byte"),
                malformed("a signature that is not Ed25519", l -> edit(l, 1, o -> o.put("signature", b64(32))), 1,
                        "not an Ed25519 signature"),
                malformed("a checkpoint size as a string", l -> edit(l, 1, o -> o.put("size", "5")), 1,
                        "\"size\" is not a whole number"),
                malformed("a checkpoint of size 0", l -> edit(l, 1, o -> o.put("size", 0)), 1, "at least 1"),
                malformed("a keyId that is not a key id", l -> edit(l, 1, o -> o.put("keyId", "ABC")), 1,
                        "\"keyId\" is not a key id"),
                malformed("a checkpoint without a keyId", l -> edit(l, 1, o -> o.remove("keyId")), 1,
                        "missing field \"keyId\""),
                malformed("another format", l -> edit(l, 0, o -> o.put("format", "citadel-audit-export/v2")), 1,
                        "unsupported format"),
                malformed("an export time that is not ISO-8601", l -> edit(l, 0, o -> o.put("exportedAt", "today")),
                        1, "ISO-8601"),
                malformed("header keys not an array", l -> edit(l, 0, o -> o.put("keys", "none")), 1,
                        "\"keys\" is not an array"),
                malformed("a header key without its PEM", l -> edit(l, 0,
                        o -> ((ObjectNode) o.get("keys").get(0)).remove("publicKey")), 1, "\"publicKey\""),
                malformed("an unknown header field", l -> edit(l, 0, o -> o.put("signedBy", "me")), 1,
                        "unknown field \"signedBy\""),
                malformed("a header line over 1 MiB", l -> edit(l, 0, o -> o.put("tenant", big)), 1,
                        "longer than 1048576 bytes"),
                malformed("a line that is not JSON", l -> insert(l, 1, "garbage"), 1, "not valid JSON"),
                malformed("a JSON array", l -> insert(l, 1, "[1,2]"), 1, "not a JSON object"),
                malformed("an empty line", l -> insert(l, 2, ""), 1, ""),
                malformed("a duplicate key", l -> set(l, 0, l.getFirst().replace("{\"type\":\"header\",",
                        "{\"type\":\"header\",\"type\":\"header\",")), 1, "not valid JSON"),
                malformed("trailing content after the object", l -> set(l, 1, l.get(1) + " {}"), 1,
                        "not valid JSON"),
                malformed("a head hash not base64", l -> edit(l, HEAD, o -> o.put("hash", "%%%%")), 1,
                        "\"hash\" is not base64"),
                malformed("a negative head seq", l -> edit(l, HEAD, o -> o.put("seq", -1)), 1, "negative"),
                // entry lines: reported at the entry
                malformed("an entry hash not base64", l -> edit(l, entry(3), o -> o.put("hash", "not base64!")), 3,
                        "\"hash\" is not base64"),
                malformed("an entry hash without its padding", l -> edit(l, entry(3),
                        o -> o.put("hash", o.get("hash").stringValue().replace("=", ""))), 3, "not canonical base64"),
                malformed("a previous hash of 33 bytes", l -> edit(l, entry(12), o -> o.put("prevHash", b64(33))), 12,
                        "\"prevHash\" is not a 32-byte hash"),
                malformed("a seq as a string", l -> edit(l, entry(12), o -> o.put("seq", "12")), 12,
                        "\"seq\" is not a whole number"),
                malformed("a seq as a fraction", l -> edit(l, entry(12), o -> o.put("seq", 12.0)), 12,
                        "\"seq\" is not a whole number"),
                malformed("a seq beyond a long", l -> edit(l, entry(12),
                        o -> o.put("seq", new java.math.BigInteger("99999999999999999999"))), 12,
                        "\"seq\" is not a whole number"),
                malformed("details as a string", l -> edit(l, entry(12), o -> o.put("details", "{}")), 12,
                        "\"details\" is not an object"),
                malformed("a detail as a number", l -> edit(l, entry(12),
                        o -> ((ObjectNode) o.get("details")).put("rows", 5)), 12, "detail \"rows\" is not a string"),
                malformed("a detail as null", l -> edit(l, entry(12),
                        o -> ((ObjectNode) o.get("details")).putNull("rows")), 12, "detail \"rows\" is not a string"),
                malformed("a tenant as a number", l -> edit(l, entry(12), o -> o.put("tenant", 7)), 12,
                        "\"tenant\" is not a string"),
                malformed("half a surrogate pair", l -> set(l, entry(12), l.get(entry(12))
                        .replaceFirst("\"action\":\"[^\"]*\"", "\"action\":\"\\\\ud800\"")), 12, "not valid Unicode"),
                malformed("an entry without its hash", l -> edit(l, entry(12), o -> o.remove("hash")), 12,
                        "missing field \"hash\""),
                malformed("an entry without a nullable field", l -> edit(l, entry(12), o -> o.remove("targetId")), 12,
                        "missing field \"targetId\""),
                malformed("an unknown entry field", l -> edit(l, entry(12), o -> o.put("comment", "hi")), 12,
                        "unknown field \"comment\""),
                malformed("entry version 2", l -> edit(l, entry(12), o -> o.put("v", 2)), 12,
                        "entry format version 2"),
                malformed("entry version as a string", l -> edit(l, entry(12), o -> o.put("v", "1")), 12,
                        "\"v\" is not a whole number"),
                malformed("a duplicate entry key", l -> set(l, entry(12),
                        l.get(entry(12)).replace("\"v\":1,", "\"v\":1,\"v\":1,")), 12, "not valid JSON"),
                malformed("an entry line over 1 MiB", l -> edit(l, entry(20),
                        o -> ((ObjectNode) o.get("details")).put("reason", big)), 20, "longer than"),
                malformed("a line cut short", l -> {
                    List<String> cut = new ArrayList<>(l.subList(0, entry(12)));
                    cut.add(l.get(entry(12)).substring(0, 100));
                    return cut;
                }, 12, "not valid JSON"),
                malformed("a line after the end", l -> insert(l, END + 1, LINES.get(entry(1))), 21,
                        "a line after the end line"),
                malformed("a second end line", l -> insert(l, END + 1, LINES.get(END)), 21,
                        "a line after the end line"),
                malformed("an end line without a count", l -> edit(l, END, o -> o.remove("entries")), 21,
                        "missing field \"entries\""),
                // incomplete: reported at the first entry that may be missing
                malformed("no end line", l -> { l.remove(END); return l; }, 21, "without an end line"),
                malformed("an end line with fewer entries", l -> edit(l, END, o -> o.put("entries", 19)), 21,
                        "the end line says 19 entries but the export has 20"),
                malformed("an end line with more entries", l -> edit(l, END, o -> o.put("entries", 21)), 21,
                        "the end line says 21 entries but the export has 20"),
                malformed("only the header", l -> new ArrayList<>(l.subList(0, 1)), 1, "without an end line"),
                malformed("a chain failure before a malformed line is reported first",
                        l -> edit(edit(l, entry(3), o -> o.put("actor", "user:mallory")), entry(12),
                                o -> o.put("v", 2)), 3, "does not match its hash"));
    }

    @Test
    void anEmptyFileIsInvalid() {
        for (String text : List.of("", "\n")) {
            ChainVerifier.Report report = TrailFixture.verifyText(text, KEYS, List.of());
            assertThat(report).returns(false, ChainVerifier.Report::valid)
                    .returns(1L, ChainVerifier.Report::firstInvalidEntry);
            assertThat(report.problem()).isNotBlank();
        }
    }

    @Test
    void aFileCutAnywhereDoesNotVerify() {
        String export = TRAIL.export();
        for (int length = 0; length < export.length() - 1; length += 97) {
            ChainVerifier.Report report = TrailFixture.verifyText(export.substring(0, length), KEYS, List.of());
            assertThat(report.valid()).as("cut at %d", length).isFalse();
            assertThat(report.problem()).isNotBlank();
        }
    }

    @Test
    void bytesThatAreNotUtf8AreInvalid() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String export = TRAIL.export();
        int cut = export.indexOf("\"actor\":\"") + 9;
        bytes.write(export.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {(byte) 0xff, (byte) 0xfe});
        bytes.write(export.substring(cut).getBytes(StandardCharsets.UTF_8));
        Reader in = new InputStreamReader(new ByteArrayInputStream(bytes.toByteArray()),
                StandardCharsets.UTF_8.newDecoder());
        ChainVerifier.Report report = AuditExport.verify(in, KEYS, List.of());
        assertThat(report.valid()).isFalse();
        assertThat(report.problem()).contains("not UTF-8");
    }

    @Test
    void aReaderThatFailsGivesAnInvalidReport() {
        Reader failing = new Reader() {
            private final Reader start = new StringReader(String.join("\n", LINES.subList(0, entry(4))) + "\n");

            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                int read = start.read(buffer, offset, length);
                if (read < 0) {
                    throw new IOException("disk on fire");
                }
                return read;
            }

            @Override
            public void close() {
            }
        };
        ChainVerifier.Report report = AuditExport.verify(failing, KEYS, List.of());
        assertThat(report.valid()).isFalse();
        assertThat(report.firstInvalidEntry()).isEqualTo(4);
        assertThat(report.problem()).contains("disk on fire");
    }

    @Test
    void aLongExportVerifies() {
        Trail trail = TrailFixture.genuine(5_000, 1_000);
        ChainVerifier.Report report = TrailFixture.verifyExport(trail, KEYS, List.of(trail.checkpointAt(3_000)));
        assertThat(report.valid()).as("%s", report).isTrue();
        assertThat(report.entries()).isEqualTo(5_000);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    static Arguments malformed(String description, UnaryOperator<List<String>> change, long firstInvalid,
            String problem) {
        return Arguments.of(description, change, firstInvalid, problem);
    }

    static List<String> insert(List<String> lines, int index, String line) {
        lines.add(index, line);
        return lines;
    }

    static List<String> set(List<String> lines, int index, String line) {
        lines.set(index, line);
        return lines;
    }

    static List<String> swap(List<String> lines, int i, int j) {
        java.util.Collections.swap(lines, i, j);
        return lines;
    }

    static List<String> edit(List<String> lines, int index, Consumer<ObjectNode> change) {
        ObjectNode node = (ObjectNode) AuditExport.JSON.readTree(lines.get(index));
        change.accept(node);
        lines.set(index, AuditExport.JSON.writeValueAsString(node));
        return lines;
    }

    static String b64(int length) {
        return Base64.getEncoder().encodeToString(new byte[length]);
    }

    static List<String> fieldNames(String line) {
        return List.copyOf(AuditExport.JSON.readTree(line).propertyNames());
    }
}
