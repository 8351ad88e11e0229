package dev.citadel.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        StreamingAeadConfig.register();
        DeterministicAeadConfig.register();
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
            time("parse only (FastCSV, same settings)", results, warmup, bytes, () -> parseOnly(source));
            long[] ingested = new long[1];
            time("full ingest (the server's upload path)", results, warmup, bytes, () -> {
                ingested[0] = ingest(source, store, blobs, tokens);
            });
            rows = ingested[0];
        }
        System.out.printf("%n%d MiB (%d rows), %d repetitions after one warm-up, JDK %s, %d cores%n%n", mib, rows, repetitions,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
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
                IngestPipeline pipeline = new IngestPipeline(Map.<String, ProtectionAction>of(), Expectations.NONE,
                        Tokenizer.Tokens.of(tokens), 1000, hashed);
                CsvRows.read(in, 65_536, 1024, pipeline);
                result[0] = pipeline.finish();
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        });
        return result[0].rows();
    }

    /** A patient file: id, name, SSN, e-mail, card, date of birth, age, diagnosis, lab values, notes. */
    private static long generate(Path file, long targetBytes) throws IOException {
        Random random = new Random(42);
        String[] first = {"Jane", "John", "Maria", "Wei", "Amara", "Lukas", "Sofia", "Ahmed", "Yuki", "Olga"};
        String[] last = {"Roe", "Smith", "Garcia", "Chen", "Okafor", "Schmidt", "Rossi", "Khan", "Sato", "Ivanova"};
        String[] cards = {"4111111111111111", "5500005555555559", "4012888888881881", "5105105105105100"};
        String[] diagnoses = {"diabetes", "hypertension", "asthma", "healthy", "copd"};
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("patient_id,full_name,ssn,email,credit_card,date_of_birth,age,diagnosis,glucose,bmi,systolic,notes\n");
            long written = 0;
            for (long i = 0; written < targetBytes; i++) {
                String name = first[random.nextInt(10)] + " " + last[random.nextInt(10)];
                String line = (100000 + i) + "," + name + ","
                        + String.format("%03d-%02d-%04d", 1 + random.nextInt(665), 1 + random.nextInt(99), 1 + random.nextInt(9999))
                        + "," + name.toLowerCase().replace(' ', '.') + "@example.org," + cards[random.nextInt(4)] + ","
                        + (1940 + random.nextInt(70)) + "-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(9) + ","
                        + (18 + random.nextInt(80)) + "," + diagnoses[random.nextInt(5)] + ","
                        + (70 + random.nextInt(130)) + "." + random.nextInt(10) + "," + (18 + random.nextInt(20)) + "."
                        + random.nextInt(10) + "," + (95 + random.nextInt(80)) + ","
                        + (random.nextInt(10) == 0 ? "\"follow-up requested, contact " + name.toLowerCase().replace(' ', '.')
                                + "@example.org\"" : "stable no change") + "\n";
                out.write(line);
                written += line.length();
            }
        }
        return Files.size(file);
    }

    interface Operation {
        void run() throws Exception;
    }

    private static void time(String name, Map<String, List<Double>> results, boolean warmup, long bytes, Operation op)
            throws Exception {
        long start = System.nanoTime();
        op.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!warmup) {
            results.computeIfAbsent(name, k -> new ArrayList<>()).add(bytes / 1e6 / seconds);
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
