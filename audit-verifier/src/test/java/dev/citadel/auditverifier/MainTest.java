package dev.citadel.auditverifier;

import static dev.citadel.auditverifier.TrailFixture.FOREIGN;
import static dev.citadel.auditverifier.TrailFixture.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.citadel.auditverifier.TrailFixture.Row;
import dev.citadel.auditverifier.TrailFixture.Trail;

/** The command line on real files: exit status, report, and one-line usage errors. */
class MainTest {

    static final Trail TRAIL = TrailFixture.genuine(20, 5);

    @TempDir
    Path dir;
    Path export;
    Path key;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void files() throws IOException {
        export = write("export.jsonl", TRAIL.export());
        key = write("public.pem", AuditKeys.toPem(KEY.getPublic().getEncoded()));
    }

    @Test
    void aValidExportExitsZeroAndNamesTheEntries() {
        assertThat(run("verify-audit", export.toString(), "--key", key.toString())).isEqualTo(Main.VALID);
        assertThat(out()).contains("VALID").contains("entries:             20")
                .contains("latest checkpoint:   size 20").contains(TrailFixture.keyId(KEY))
                .contains(TrailFixture.CHECKPOINT_TIME).doesNotContain("INVALID");
        assertThat(err()).isEmpty();
    }

    @Test
    void entriesAfterTheLatestCheckpointAreSaidToBeProtectedByTheChainOnly() throws IOException {
        Path open = write("open.jsonl", TrailFixture.genuine(22, 5).export());
        assertThat(run("verify-audit", open.toString(), "--key", key.toString())).isEqualTo(Main.VALID);
        assertThat(out()).contains("entries:             22").contains("the 2 entries after it");
    }

    @Test
    void aTamperedExportExitsOneAndNamesTheFirstInvalidEntry() throws IOException {
        Path tampered = write("tampered.jsonl", tampered().export());
        assertThat(run("verify-audit", tampered.toString(), "--key", key.toString())).isEqualTo(Main.INVALID);
        assertThat(out()).contains("INVALID").contains("first invalid entry: 12")
                .contains("problem:             entry 12 does not match its hash");
    }

    @Test
    void controlCharactersFromTheFileAreNotPrinted() throws IOException {
        List<String> lines = new ArrayList<>(TRAIL.lines());
        lines.add(1, "{\"type\":\"\\u001b]0;owned\\u0007\\u202e\"}");
        Path hostile = write("hostile.jsonl", TrailFixture.text(lines));
        assertThat(run("verify-audit", hostile.toString(), "--key", key.toString())).isEqualTo(Main.INVALID);
        assertThat(out()).contains("unknown line type \"\\u001b]0;owned\\u0007\\u202e\"")
                .doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e");
    }

    @Test
    void theWrongKeyExitsOne() throws IOException {
        Path foreign = write("foreign.pem", AuditKeys.toPem(FOREIGN.getPublic().getEncoded()));
        assertThat(run("verify-audit", export.toString(), "--key", foreign.toString())).isEqualTo(Main.INVALID);
        assertThat(out()).contains("first invalid entry: 1").contains("unknown key");
    }

    @Test
    void severalKeysInOneFileOrSeveralFilesAreAllUsed() throws IOException {
        Path both = write("both.pem", AuditKeys.toPem(FOREIGN.getPublic().getEncoded())
                + AuditKeys.toPem(KEY.getPublic().getEncoded()));
        assertThat(run("verify-audit", export.toString(), "--key", both.toString())).isEqualTo(Main.VALID);
        Path foreign = write("foreign.pem", AuditKeys.toPem(FOREIGN.getPublic().getEncoded()));
        assertThat(run("verify-audit", "--key", foreign.toString(), export.toString(), "--key", key.toString()))
                .isEqualTo(Main.VALID);
    }

    @Test
    void jsonOutputParses() throws IOException {
        assertThat(run("verify-audit", export.toString(), "--key", key.toString(), "--json")).isEqualTo(Main.VALID);
        JsonNode valid = AuditExport.JSON.readTree(out());
        assertThat(valid.get("valid").booleanValue()).isTrue();
        assertThat(valid.get("entries").longValue()).isEqualTo(20);
        assertThat(valid.get("head").stringValue()).isNotBlank();
        assertThat(valid.get("latestCheckpoint").get("size").longValue()).isEqualTo(20);
        assertThat(valid.get("latestCheckpoint").get("keyId").stringValue()).isEqualTo(TrailFixture.keyId(KEY));
        assertThat(valid.get("latestCheckpoint").get("time").stringValue()).isEqualTo(TrailFixture.CHECKPOINT_TIME);
        assertThat(valid.get("latestCheckpoint").get("root").stringValue()).isNotBlank();
        assertThat(valid.get("firstInvalidEntry").isNull()).isTrue();
        assertThat(valid.get("problem").isNull()).isTrue();
        assertThat(out().lines().count()).isEqualTo(1);

        out.reset();
        Path tampered = write("tampered.jsonl", tampered().export());
        assertThat(run("verify-audit", "--json", tampered.toString(), "--key", key.toString()))
                .isEqualTo(Main.INVALID);
        JsonNode invalid = AuditExport.JSON.readTree(out());
        assertThat(invalid.get("valid").booleanValue()).isFalse();
        assertThat(invalid.get("firstInvalidEntry").longValue()).isEqualTo(12);
        assertThat(invalid.get("problem").stringValue()).contains("entry 12");
    }

    @Test
    void aTrustedCheckpointCatchesARollback() throws IOException {
        Trail rolledBack = TRAIL.withRows(TRAIL.rows().subList(0, 10))
                .withCheckpoints(TRAIL.checkpoints().subList(0, 2)).withHeadAtEnd();
        Path older = write("rolled-back.jsonl", rolledBack.export());
        // As an operator keeps it: the last checkpoint line of an earlier export.
        String kept = TRAIL.export().lines().filter(l -> l.contains("\"type\":\"checkpoint\"")).toList().getLast();
        Path trusted = write("checkpoint.json", kept + "\n");
        assertThat(run("verify-audit", older.toString(), "--key", key.toString())).isEqualTo(Main.VALID);
        out.reset();
        assertThat(run("verify-audit", older.toString(), "--key", key.toString(), "--trusted", trusted.toString()))
                .isEqualTo(Main.INVALID);
        assertThat(out()).contains("first invalid entry: 11").contains("rolled back");
        out.reset();
        assertThat(run("verify-audit", export.toString(), "--key", key.toString(), "--trusted", trusted.toString()))
                .isEqualTo(Main.VALID);
    }

    @Test
    void usageErrorsExitTwoWithOneLine() throws Exception {
        Path notPem = write("not.pem", "hello");
        Path badBase64 = write("bad.pem", "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n");
        Path rsa = write("rsa.pem", AuditKeys.toPem(
                KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded()));
        Path notCheckpoint = write("bad-checkpoint.json", "{\"type\":\"head\"}");
        List<String[]> cases = new ArrayList<>(List.of(
                new String[] {},
                new String[] {"verify"},
                new String[] {"verify-audit"},
                new String[] {"verify-audit", export.toString()},
                new String[] {"verify-audit", dir.resolve("missing.jsonl").toString(), "--key", key.toString()},
                new String[] {"verify-audit", dir.toString(), "--key", key.toString()},
                new String[] {"verify-audit", export.toString(), "--key", dir.resolve("missing.pem").toString()},
                new String[] {"verify-audit", export.toString(), "--key"},
                new String[] {"verify-audit", export.toString(), "--key", notPem.toString()},
                new String[] {"verify-audit", export.toString(), "--key", badBase64.toString()},
                new String[] {"verify-audit", export.toString(), "--key", rsa.toString()},
                new String[] {"verify-audit", export.toString(), "--key", key.toString(), "--verbose"},
                new String[] {"verify-audit", export.toString(), export.toString(), "--key", key.toString()},
                new String[] {"verify-audit", export.toString(), "--key", key.toString(), "--trusted",
                        notCheckpoint.toString()},
                new String[] {"verify-audit", export.toString(), "--key", key.toString(), "--trusted",
                        dir.resolve("missing.json").toString()}));
        for (String[] args : cases) {
            out.reset();
            err.reset();
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(Main.USAGE);
            assertThat(err().lines().count()).as(err()).isEqualTo(1);
            assertThat(err()).startsWith("verify-audit: ").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(out()).isEmpty();
        }
        err.reset();
        run("verify-audit", dir.resolve("missing.jsonl").toString(), "--key", key.toString());
        assertThat(err()).contains("no such file").contains("missing.jsonl");
        err.reset();
        run("verify-audit", export.toString(), "--key", rsa.toString());
        assertThat(err()).contains("unreadable key").contains("rsa.pem");
    }

    @Test
    void helpIsNotAnError() {
        assertThat(run("--help")).isEqualTo(Main.VALID);
        assertThat(out()).startsWith("usage: ");
    }

    static Trail tampered() {
        return TRAIL.withRows(TrailFixture.replace(TRAIL.rows(), 12, row -> new Row(
                TrailFixture.with(row.entry(), "actor", "user:mallory"), row.prevHash(), row.hash())));
    }

    int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
