package dev.citadel.datasets.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.daead.PredefinedDeterministicAeadParameters;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.privacy.ProtectionAction;
import dev.citadel.privacy.Tokenizer;

/**
 * Rows are protected in parallel batches; what is stored and reported must not depend on it: the
 * same file gives byte-identical content, the same schema, findings and late redactions with one
 * thread as with four, and a worker's failure fails the upload.
 */
class IngestPipelineTest {

    private static ExecutorService pool;
    private static Tokenizer.Tokens tokens;

    @BeforeAll
    static void setUp() throws Exception {
        DeterministicAeadConfig.register();
        DeterministicAead daead = KeysetHandle.generateNew(PredefinedDeterministicAeadParameters.AES256_SIV)
                .getPrimitive(RegistryConfiguration.get(), DeterministicAead.class);
        tokens = Tokenizer.Tokens.of(daead);
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void parallelProtectionStoresExactlyWhatOneThreadStores() {
        String csv = file(20_000);
        Run sequential = run(csv, Map.of(), 1);
        Run parallel = run(csv, Map.of(), 4);
        assertThat(parallel.content()).isEqualTo(sequential.content());
        assertThat(parallel.result()).isEqualTo(sequential.result());
        assertThat(sequential.result().rows()).isEqualTo(20_000);
        assertThat(sequential.result().findings()).extracting(Finding::column)
                .contains("ssn", "email", "visit_note");
        Finding late = sequential.result().findings().stream().filter(f -> f.column().equals("visit_note")).findFirst()
                .orElseThrow();
        assertThat(late.action()).isEqualTo("redact-values");
        assertThat(late.redactedValues()).isEqualTo(19);
        assertThat(sequential.content()).doesNotContain("@example.org").contains("[REDACTED:email]");
    }

    @Test
    void aFailingBatchFailsTheUploadWithItsLine() {
        String csv = file(5_000).replace("\n4500,", "\n4500x,");
        assertThatThrownBy(() -> run(csv, Map.of("patient_id", ProtectionAction.GENERALIZE), 4))
                .isInstanceOfSatisfying(CitadelException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATASET_POLICY_NOT_APPLICABLE);
                    assertThat(e.getMessage()).contains("line 3502");
                });
    }

    @Test
    void anIdColumnOfRandomDigitsIsStoredUnchangedEvenWhereSomeIdsPassTheCardChecks() {
        Random random = new Random(21);
        StringBuilder csv = new StringBuilder("record_id,batch_no\n");
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String id = String.format("%016d", Math.floorMod(random.nextLong(), 10_000_000_000_000_000L));
            String batch = String.format("%09d", random.nextInt(1_000_000_000));
            ids.add(id);
            csv.append(id).append(',').append(batch).append('\n');
        }
        Run run = run(csv.toString(), Map.of(), 2);
        assertThat(run.result().findings()).isEmpty();
        assertThat(run.content()).doesNotContain("REDACTED");
        assertThat(run.content().lines().skip(1).map(line -> line.substring(0, line.indexOf(','))).toList())
                .isEqualTo(ids);
    }

    @Test
    void namesThatTurnUpAfterTheWindowInANameColumnAreRedacted() {
        StringBuilder csv = new StringBuilder("id,patient_name\n");
        for (int i = 0; i < 3_000; i++) {
            csv.append(i).append(',').append(i < 1_500 ? "unknown" : "Maria Garcia").append('\n');
        }
        Run run = run(csv.toString(), Map.of(), 2);
        assertThat(run.content()).doesNotContain("Maria Garcia").contains("[REDACTED:person-name]");
        assertThat(run.result().findings()).singleElement().satisfies(f -> {
            assertThat(f.column()).isEqualTo("patient_name");
            assertThat(f.redactedValues()).isEqualTo(1_500);
        });
    }

    record Run(String content, IngestResult result) {}

    private static Run run(String csv, Map<String, ProtectionAction> policy, int threads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IngestPipeline pipeline = new IngestPipeline(policy, Expectations.NONE, tokens, 1000, out, pool, threads);
        CsvRows.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), 65_536, 1024, pipeline);
        IngestResult result = pipeline.finish();
        return new Run(out.toString(StandardCharsets.UTF_8), result);
    }

    /** Identifiers from the first row; a clean-looking note column gets an e-mail in every 1000th row after the window. */
    private static String file(int rows) {
        Random random = new Random(9);
        StringBuilder csv = new StringBuilder("patient_id,ssn,email,glucose,ward,visit_note\n");
        for (int i = 0; i < rows; i++) {
            csv.append(1000 + i).append(',')
                    .append(String.format("%03d-%02d-%04d", 1 + random.nextInt(665), 1 + random.nextInt(99),
                            1 + random.nextInt(9999))).append(',')
                    .append("p").append(i).append("@example.org,")
                    .append(70 + random.nextInt(100)).append('.').append(random.nextInt(10)).append(',')
                    .append(random.nextBoolean() ? "cardiology" : "general").append(',')
                    .append(i >= 1000 && i % 1000 == 999 ? "x" + i + "@example.org" : "ok").append('\n');
        }
        return csv.toString();
    }
}
