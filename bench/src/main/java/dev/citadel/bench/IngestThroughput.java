package dev.citadel.bench;

import static dev.citadel.bench.Measurements.median;
import static dev.citadel.bench.Measurements.nonClosing;
import static dev.citadel.bench.Measurements.record;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.daead.PredefinedDeterministicAeadParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

import dev.citadel.datasets.ingest.CsvRows;
import dev.citadel.datasets.ingest.Expectations;
import dev.citadel.datasets.ingest.IngestPipeline;
import dev.citadel.datasets.ingest.IngestResult;
import dev.citadel.privacy.ProtectionAction;
import dev.citadel.privacy.Tokenizer;
import dev.citadel.storage.BlobStore;
import dev.citadel.storage.PipelinedWriter;
import dev.citadel.storage.store.FilesystemBlobStore;

/**
 * Ingest throughput of a patient-like CSV (identifiers and clinical columns) through the server's
 * own upload path — parse, detect on every value, validate, profile, tokenize, write CSV, hash,
 * encrypt and store — against parsing the same file alone with the same parser, in one run.
 */
public final class IngestThroughput {

    /** What a data steward would declare for this file: every row is validated against it. */
    private static final Expectations EXPECTATIONS = new Expectations(List.of(
            new Expectations.Column("patient_id", true, "integer", true, true, null, null, null, null),
            new Expectations.Column("age", null, "integer", true, null, 0.0, 120.0, null, null),
            new Expectations.Column("sex", null, null, null, null, null, null, List.of("F", "M"), null),
            new Expectations.Column("admitted", null, "date", null, null, null, null, null, null),
            new Expectations.Column("glucose", null, "decimal", null, null, 20.0, 600.0, null, null),
            new Expectations.Column("ward", null, null, null, null, null, null, null, "[a-z]+")),
            new Expectations.RowCount(1L, null), false);

    /** The server's shape: one protecting thread per core, shared (see IngestWorkers). */
    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    private static final java.util.concurrent.ExecutorService WORKERS = java.util.concurrent.Executors.newFixedThreadPool(
            THREADS, Thread.ofPlatform().name("citadel-ingest-", 0).daemon(true).factory());

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        StreamingAeadConfig.register();
        DeterministicAeadConfig.register();
        dev.citadel.crypto.CipherWarmup.warmUp();
        StreamingAead blobs = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB)
                .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        DeterministicAead tokens = KeysetHandle.generateNew(PredefinedDeterministicAeadParameters.AES256_SIV)
                .getPrimitive(RegistryConfiguration.get(), DeterministicAead.class);
        Path work = Files.createTempDirectory("citadel-ingest-bench-");
        Path source = work.resolve("patients.csv");
        long bytes = generate(source, (long) mib * 1024 * 1024);
        BlobStore store = new FilesystemBlobStore(work.resolve("store"));
        Map<String, List<Double>> results = new LinkedHashMap<>();
        long rows = 0;
        for (int r = 0; r < repetitions + 1; r++) {
            boolean warmup = r == 0;
            record("parse only (FastCSV, same settings)", results, warmup, bytes, () -> parseOnly(source));
            long[] ingested = new long[1];
            record("full ingest (the server's upload path)", results, warmup, bytes, () -> {
                ingested[0] = ingest(source, store, blobs, tokens);
            });
            rows = ingested[0];
        }
        System.out.printf("%n%d MiB (%d rows), %d repetitions after one warm-up, JDK %s, %d cores%n%n", mib, rows, repetitions,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.println("findings and actions: " + lastFindings);
        System.out.printf("AES-SIV tokenization alone (Tink): %.0f ns per value; this file tokenizes 5 distinct values per row%n%n",
                tokenizationNanos(tokens));
        System.out.println("| operation | median MB/s | ratio to parse only |");
        System.out.println("|---|---:|---:|");
        double parse = median(results.get("parse only (FastCSV, same settings)"));
        for (Map.Entry<String, List<Double>> entry : results.entrySet()) {
            double m = median(entry.getValue());
            System.out.printf("| %s | %.0f | %.2f× |%n", entry.getKey(), m, m / parse);
        }
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void parseOnly(Path source) throws IOException {
        long fields = 0;
        try (CsvReader<CsvRecord> csv = CsvReader.builder().allowExtraFields(false).allowMissingFields(false)
                .allowUnclosedQuote(false).allowExtraCharsAfterClosingQuote(false).skipEmptyLines(true)
                .maxBufferSize(131_072).ofCsvRecord(new java.io.InputStreamReader(Files.newInputStream(source),
                        StandardCharsets.UTF_8.newDecoder()))) {
            for (CsvRecord record : csv) {
                fields += record.getFieldCount();
            }
        }
        if (fields == 0) {
            throw new IllegalStateException();
        }
    }

    private static long ingest(Path source, BlobStore store, StreamingAead blobs, DeterministicAead tokens)
            throws IOException {
        IngestResult[] result = new IngestResult[1];
        PipelinedWriter.put(store, "tenants/bench/dataset/x/v1", out -> {
            try (OutputStream encrypting = blobs.newEncryptingStream(nonClosing(out), "ad".getBytes());
                    InputStream in = Files.newInputStream(source)) {
                java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
                OutputStream hashed = new java.security.DigestOutputStream(encrypting, sha256);
                IngestPipeline pipeline = new IngestPipeline(Map.<String, ProtectionAction>of(), EXPECTATIONS,
                        Tokenizer.Tokens.of(tokens), 1000, hashed, WORKERS, THREADS);
                CsvRows.read(in, 65_536, 1024, pipeline);
                result[0] = pipeline.finish();
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        });
        return check(result[0]);
    }

    /** The run only counts if the pipeline did the work: identifiers found and protected, every expectation checked. */
    private static long check(IngestResult result) {
        Map<String, String> actions = new java.util.TreeMap<>();
        result.findings().forEach(f -> actions.put(f.column(), f.kind() + "→" + f.action()));
        for (String column : List.of("full_name", "ssn", "email", "credit_card", "date_of_birth", "notes")) {
            if (!actions.containsKey(column)) {
                throw new IllegalStateException("no finding for " + column + ": " + actions);
            }
        }
        if (!result.validation().passed() || result.validation().results().size() < 8) {
            throw new IllegalStateException("validation did not run as declared: " + result.validation());
        }
        lastFindings = actions.toString();
        return result.rows();
    }

    private static String lastFindings = "";

    private static double tokenizationNanos(DeterministicAead tokens) {
        Tokenizer.Tokens tokenizer = Tokenizer.Tokens.of(tokens);
        int n = 1_000_000;
        for (int i = 0; i < n / 4; i++) {
            tokenizer.tokenize("123-45-" + i);
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            tokenizer.tokenize("jane.roe" + i + "@example.org");
        }
        return (System.nanoTime() - start) / (double) n;
    }

    /**
     * A clinical extract shaped like seed 002, one row per patient: direct identifiers that are
     * unique per row (name, SSN, e-mail, card number, date of birth — so the token cache does not
     * flatter the result), then demographics, visit data, nine lab values and a notes column in
     * which one row in ten carries an e-mail address.
     */
    private static long generate(Path file, long targetBytes) throws IOException {
        Random random = new Random(42);
        String[] first = {"Jane", "John", "Maria", "Wei", "Amara", "Lukas", "Sofia", "Ahmed", "Yuki", "Olga", "Noah",
            "Emma", "Liam", "Ava", "Mateo", "Zara", "Ivan", "Priya", "Kofi", "Lena"};
        String[] last = {"Roe", "Smith", "Garcia", "Chen", "Okafor", "Schmidt", "Rossi", "Khan", "Sato", "Ivanova",
            "Novak", "Silva", "Haddad", "Kowalski", "Nguyen", "Murphy", "Jensen", "Costa", "Patel", "Moreau"};
        String[] diagnoses = {"diabetes", "hypertension", "asthma", "healthy", "copd", "ckd", "heart-failure"};
        String[] wards = {"cardiology", "endocrinology", "pulmonology", "nephrology", "general"};
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("patient_id,full_name,ssn,email,credit_card,date_of_birth,sex,age,ward,diagnosis,admitted,"
                    + "glucose,hba1c,bmi,systolic,diastolic,heart_rate,cholesterol,creatinine,readmitted,notes\n");
            long written = 0;
            StringBuilder line = new StringBuilder(256);
            for (long i = 0; written < targetBytes; i++) {
                line.setLength(0);
                String name = first[random.nextInt(first.length)] + " " + last[random.nextInt(last.length)];
                String email = name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + (i % 9973) + "@example.org";
                line.append(100000 + i).append(',').append(name).append(',')
                        .append(String.format("%03d-%02d-%04d", 1 + random.nextInt(665), 1 + random.nextInt(99),
                                1 + random.nextInt(9999)))
                        .append(',').append(email).append(',').append(card(random)).append(',')
                        .append(1930 + random.nextInt(75)).append("-0").append(1 + random.nextInt(9)).append("-1")
                        .append(random.nextInt(9)).append(',').append(random.nextBoolean() ? 'F' : 'M').append(',')
                        .append(18 + random.nextInt(80)).append(',').append(wards[random.nextInt(wards.length)]).append(',')
                        .append(diagnoses[random.nextInt(diagnoses.length)]).append(",2026-").append(10 + random.nextInt(3))
                        .append('-').append(10 + random.nextInt(18)).append(',')
                        .append(70 + random.nextInt(130)).append('.').append(random.nextInt(10)).append(',')
                        .append(4 + random.nextInt(8)).append('.').append(random.nextInt(10)).append(',')
                        .append(18 + random.nextInt(20)).append('.').append(random.nextInt(10)).append(',')
                        .append(95 + random.nextInt(80)).append(',').append(55 + random.nextInt(45)).append(',')
                        .append(50 + random.nextInt(70)).append(',').append(120 + random.nextInt(180)).append(',')
                        .append(random.nextInt(3)).append('.').append(random.nextInt(100)).append(',')
                        .append(random.nextInt(5) == 0).append(',')
                        .append(random.nextInt(10) == 0 ? "\"follow-up requested, contact " + email + "\"" : "stable no change")
                        .append('\n');
                out.append(line);
                written += line.length();
            }
        }
        return Files.size(file);
    }

    /** A random 16-digit Visa-range number with a valid Luhn check digit. */
    private static String card(Random random) {
        int[] digits = new int[16];
        digits[0] = 4;
        for (int k = 1; k < 15; k++) {
            digits[k] = random.nextInt(10);
        }
        int sum = 0;
        for (int k = 14, position = 0; k >= 0; k--, position++) {
            int d = digits[k];
            if (position % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        digits[15] = (10 - sum % 10) % 10;
        StringBuilder out = new StringBuilder(16);
        for (int d : digits) {
            out.append(d);
        }
        return out.toString();
    }
}
