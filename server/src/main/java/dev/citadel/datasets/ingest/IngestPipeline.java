package dev.citadel.datasets.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

import de.siegmar.fastcsv.writer.CsvWriter;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.privacy.ColumnDetector;
import dev.citadel.privacy.ProtectionAction;
import dev.citadel.privacy.Protections;
import dev.citadel.privacy.SensitiveKind;
import dev.citadel.privacy.Tokenizer;
import dev.citadel.privacy.ValueDetectors;

/**
 * One pass over an upload: validate every row, run every detector on every value, protect, and
 * write the protected CSV — in bounded memory.
 *
 * <p>Protection actions are fixed after a decision window (the first rows, by default 1,000, or
 * 16 MiB of text, whichever comes first): columns found sensitive by then get the policy's action
 * or, by default, {@code tokenize} ({@code mask} for free text). Detection goes on over every later
 * value; an identifier that turns up later in a column that looked clean is redacted value by
 * value, so nothing detected is ever stored unprotected unless a data steward's policy says
 * {@code keep}. Whatever throws here aborts the encrypted write: nothing is stored.
 *
 * <p>Work is split in two: the caller's thread parses, validates and detects, in order; batches of
 * rows are then protected (tokenized, masked…), profiled and turned into CSV by {@code workers}, at
 * most {@code parallelism} batches at a time, and written back to {@code out} by the caller's thread
 * in their original order. Only the caller's thread ever touches {@code out}.
 */
public final class IngestPipeline implements RowSink {

    static final int BATCH_ROWS = 512;
    static final long BATCH_CHARS = 1L << 20;
    static final long WINDOW_CHARS = 16L << 20;
    private static final int TOKEN_CACHE_LIMIT = 4_096;

    private final Map<String, ProtectionAction> policy;
    private final Validator validator;
    private final Tokenizer.Tokens tokens;
    private final int window;
    private final OutputStream out;
    private final Executor workers;
    private final int parallelism;

    private String[] names;
    private ColumnDetector[] detectors;
    private Plan[] plans;
    private Lane[] lanes;
    private BlockingQueue<Lane> freeLanes;
    private final ArrayDeque<FutureTask<byte[]>> inFlight = new ArrayDeque<>();
    private Batch batch = new Batch();
    private boolean decided;
    private long rows;

    /** Rows on their way to a worker: the values, what the detectors said of each, and where they came from. */
    private static final class Batch {
        final List<String[]> fields = new ArrayList<>();
        final List<SensitiveKind[]> kinds = new ArrayList<>();
        final List<Long> lines = new ArrayList<>();
        long chars;

        void add(String[] row, SensitiveKind[] rowKinds, long line) {
            fields.add(row);
            kinds.add(rowKinds);
            lines.add(line);
            for (String value : row) {
                chars += value == null ? 0 : value.length();
            }
        }

        int size() {
            return fields.size();
        }
    }

    /**
     * Repeated identifiers (a patient's e-mail on each of their visits) are encrypted once. A column
     * of distinct values gains nothing from the cache, so after {@value #PROBE} lookups with fewer
     * than a quarter of hits it is no longer consulted.
     */
    private static final class TokenCache {
        static final int PROBE = 4_096;
        private java.util.HashMap<String, String> tokens = new java.util.HashMap<>();
        private long lookups;
        private long hits;

        String tokenize(String value, Tokenizer.Tokens tokenizer) {
            if (tokens == null) {
                return tokenizer.tokenize(value);
            }
            lookups++;
            String token = tokens.get(value);
            if (token != null) {
                hits++;
                return token;
            }
            token = tokenizer.tokenize(value);
            if (lookups == PROBE && hits < PROBE / 4) {
                tokens = null;
            } else {
                if (tokens.size() >= TOKEN_CACHE_LIMIT) {
                    tokens.clear();
                }
                tokens.put(value, token);
            }
            return token;
        }
    }

    /** A column's fixed treatment: the action, the kind it protects against, and whether it is stored. */
    private record Plan(ProtectionAction action, SensitiveKind kind, boolean explicitKeep) {
        static final Plan NONE = new Plan(null, null, false);
    }

    /** What one worker accumulates while protecting batches; lanes are merged when the upload ends. */
    private final class Lane {
        final ColumnProfile[] profiles = new ColumnProfile[names.length];
        final long[] redacted = new long[names.length];
        final List<Map<SensitiveKind, Long>> lateKinds = new ArrayList<>();
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
        final CsvWriter csv = CsvWriter.builder().build(new OutputStreamWriter(buffer, StandardCharsets.UTF_8));
        final String[] row;
        /** Tokens of values this lane has seen, per column, while the column repeats values enough to pay for it. */
        final TokenCache[] tokenCaches = new TokenCache[names.length];

        Lane(int storedColumns) {
            for (int i = 0; i < names.length; i++) {
                profiles[i] = new ColumnProfile(names[i]);
                lateKinds.add(new EnumMap<>(SensitiveKind.class));
                tokenCaches[i] = new TokenCache();
            }
            row = new String[storedColumns];
        }
    }

    /** A pipeline that does all its work on the caller's thread. */
    public IngestPipeline(Map<String, ProtectionAction> policy, Expectations expectations, Tokenizer.Tokens tokens,
            int decisionWindowRows, OutputStream out) {
        this(policy, expectations, tokens, decisionWindowRows, out, Runnable::run, 1);
    }

    /** A pipeline that protects batches of rows on {@code workers}, at most {@code parallelism} at a time. */
    public IngestPipeline(Map<String, ProtectionAction> policy, Expectations expectations, Tokenizer.Tokens tokens,
            int decisionWindowRows, OutputStream out, Executor workers, int parallelism) {
        this.policy = Map.copyOf(policy);
        this.validator = new Validator(expectations);
        this.tokens = tokens;
        this.window = decisionWindowRows;
        this.out = out;
        this.workers = workers;
        this.parallelism = Math.max(1, parallelism);
    }

    @Override
    public void header(String[] header) {
        Set<String> seen = new HashSet<>();
        names = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            String name = header[i].strip();
            if (name.isEmpty()) {
                throw IngestProblem.at(ErrorCode.DATASET_INVALID_HEADER, "Column " + (i + 1) + " has no name", 1, null);
            }
            if (name.length() > 256) {
                throw IngestProblem.at(ErrorCode.DATASET_INVALID_HEADER, "Column " + (i + 1) + " has a name over 256 characters",
                        1, null);
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw IngestProblem.at(ErrorCode.DATASET_INVALID_HEADER, "Column names must be unique", 1, name);
            }
            names[i] = name;
        }
        detectors = new ColumnDetector[names.length];
        for (int i = 0; i < names.length; i++) {
            detectors[i] = new ColumnDetector(names[i]);
        }
        validator.header(names);
    }

    @Override
    public void row(String[] fields, long line) {
        rows++;
        validator.row(fields, line);
        SensitiveKind[] kinds = new SensitiveKind[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Optional<SensitiveKind> kind = detectors[i].observe(fields[i]);
            kinds[i] = kind.orElse(null);
        }
        batch.add(fields, kinds, line);
        if (!decided) {
            if (batch.size() >= window || batch.chars >= WINDOW_CHARS) {
                decide();
            }
        } else if (batch.size() >= BATCH_ROWS || batch.chars >= BATCH_CHARS) {
            submit();
        }
    }

    /** Writes what is left and returns what the upload produced. */
    public IngestResult finish() {
        if (names == null) {
            throw IngestProblem.of(ErrorCode.DATASET_EMPTY, "The upload is empty: it needs a header row.");
        }
        if (!decided) {
            decide();
        }
        submit();
        while (!inFlight.isEmpty()) {
            writeOldest();
        }
        Lane all = lanes[0];
        for (int l = 1; l < lanes.length; l++) {
            for (int i = 0; i < names.length; i++) {
                all.profiles[i].merge(lanes[l].profiles[i]);
                all.redacted[i] += lanes[l].redacted[i];
                for (Map.Entry<SensitiveKind, Long> late : lanes[l].lateKinds.get(i).entrySet()) {
                    all.lateKinds.get(i).merge(late.getKey(), late.getValue(), Long::sum);
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<ColumnSchema> schema = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            Optional<ColumnDetector.Verdict> verdict = detectors[i].verdict();
            Plan plan = plans[i];
            long redacted = all.redacted[i];
            if (verdict.isPresent()) {
                ColumnDetector.Verdict v = verdict.get();
                if (plan.action() == ProtectionAction.REJECT) {
                    throw rejected(i, v.kind());
                }
                String action = plan.action() != null ? plan.action().wireName() : "redact-values";
                findings.add(new Finding(names[i], v.kind().wireName(), round(v.matchRatio()), v.confidence(), action,
                        plan.action() == null ? redacted : null));
                if (plan.explicitKeep()) {
                    kept.add(names[i]);
                }
            } else if (redacted > 0) {
                SensitiveKind late = all.lateKinds.get(i).entrySet().stream().max(Map.Entry.comparingByValue())
                        .orElseThrow().getKey();
                long nonNull = Math.max(1, rows);
                findings.add(new Finding(names[i], late.wireName(), round(redacted / (double) nonNull), "medium",
                        "redact-values", redacted));
            }
            if (plan.action() != ProtectionAction.DROP) {
                schema.add(all.profiles[i].result(verdict.isPresent() || redacted > 0));
            }
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new IngestResult(rows, List.copyOf(schema), List.copyOf(findings), validator.report(), List.copyOf(kept));
    }

    private void decide() {
        plans = new Plan[names.length];
        for (int i = 0; i < names.length; i++) {
            ProtectionAction configured = policy.get(names[i]);
            Optional<ColumnDetector.Verdict> verdict = detectors[i].verdict();
            SensitiveKind kind = verdict.map(ColumnDetector.Verdict::kind).orElse(null);
            if (configured == ProtectionAction.REJECT) {
                if (kind != null) {
                    throw rejected(i, kind);
                }
                plans[i] = new Plan(ProtectionAction.REJECT, null, false);
            } else if (configured == ProtectionAction.KEEP) {
                plans[i] = new Plan(ProtectionAction.KEEP, kind, true);
            } else if (configured != null) {
                plans[i] = new Plan(configured, kind, false);
            } else if (kind != null && kind.directIdentifier()) {
                plans[i] = new Plan(kind == SensitiveKind.FREE_TEXT_PII ? ProtectionAction.MASK : ProtectionAction.TOKENIZE,
                        kind, false);
            } else {
                plans[i] = Plan.NONE;
            }
        }
        List<String> header = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (plans[i].action() != ProtectionAction.DROP) {
                header.add(names[i]);
            }
        }
        lanes = new Lane[parallelism];
        freeLanes = new ArrayBlockingQueue<>(parallelism);
        for (int l = 0; l < parallelism; l++) {
            lanes[l] = new Lane(header.size());
            freeLanes.add(lanes[l]);
        }
        Lane first = lanes[0];
        first.csv.writeRecord(header);
        write(drain(first));
        decided = true;
        submit();
    }

    /** Hands the current batch to a worker, first writing out the oldest batch if enough are under way. */
    private void submit() {
        if (batch.size() == 0) {
            return;
        }
        Batch rowsToProtect = batch;
        batch = new Batch();
        while (inFlight.size() >= parallelism) {
            writeOldest();
        }
        FutureTask<byte[]> task = new FutureTask<>(() -> protect(rowsToProtect));
        inFlight.add(task);
        workers.execute(task);
    }

    private void writeOldest() {
        FutureTask<byte[]> oldest = inFlight.poll();
        try {
            write(oldest.get());
        } catch (ExecutionException e) {
            cancelAll();
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("protecting rows failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelAll();
            throw new CancellationException("upload interrupted");
        }
    }

    private void cancelAll() {
        inFlight.forEach(task -> task.cancel(false));
        inFlight.clear();
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            cancelAll();
            throw new UncheckedIOException(e);
        }
    }

    /** Runs on a worker: protects, profiles and serialises one batch in a lane of its own. */
    private byte[] protect(Batch rowsToProtect) throws InterruptedException {
        Lane lane = freeLanes.take();
        try {
            for (int r = 0; r < rowsToProtect.size(); r++) {
                String[] fields = rowsToProtect.fields.get(r);
                SensitiveKind[] kinds = rowsToProtect.kinds.get(r);
                long line = rowsToProtect.lines.get(r);
                int stored = 0;
                for (int i = 0; i < fields.length; i++) {
                    Plan plan = plans[i];
                    if (plan.action() == ProtectionAction.DROP) {
                        continue;
                    }
                    String value = protect(lane, i, plan, fields[i], kinds[i], line);
                    lane.profiles[i].observe(value);
                    lane.row[stored++] = value;
                }
                lane.csv.writeRecord(lane.row);
            }
            return drain(lane);
        } finally {
            freeLanes.add(lane);
        }
    }

    private static byte[] drain(Lane lane) {
        try {
            lane.csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = lane.buffer.toByteArray();
        lane.buffer.reset();
        return bytes;
    }

    private String protect(Lane lane, int column, Plan plan, String value, SensitiveKind kind, long line) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (plan.action() == null || plan.action() == ProtectionAction.REJECT) {
            if (kind == SensitiveKind.FREE_TEXT_PII) {
                lateRedaction(lane, column, kind);
                return ValueDetectors.redactIdentifiers(value);
            }
            if (kind != null) {
                lateRedaction(lane, column, kind);
                return "[REDACTED:" + kind.wireName() + "]";
            }
            return value;
        }
        return switch (plan.action()) {
            case KEEP -> value;
            case TOKENIZE -> lane.tokenCaches[column].tokenize(value.strip(), tokens);
            case MASK -> Protections.mask(value, plan.kind() != null ? plan.kind() : kind);
            case GENERALIZE -> {
                String general = Protections.generalize(value);
                if (general == null) {
                    throw IngestProblem.at(ErrorCode.DATASET_POLICY_NOT_APPLICABLE,
                            "generalize applies to dates and numbers only", line, names[column]);
                }
                yield general;
            }
            default -> throw new IllegalStateException("unexpected action");
        };
    }

    private static void lateRedaction(Lane lane, int column, SensitiveKind kind) {
        lane.redacted[column]++;
        lane.lateKinds.get(column).merge(kind, 1L, Long::sum);
    }

    private CitadelException rejected(int column, SensitiveKind kind) {
        return IngestProblem.at(ErrorCode.DATASET_SENSITIVE_REJECTED, "Column '" + names[column] + "' holds "
                + kind.wireName() + " values and the dataset's privacy policy rejects them; nothing was stored", 0, null);
    }

    private static double round(double ratio) {
        return Math.round(ratio * 10_000) / 10_000.0;
    }
}
