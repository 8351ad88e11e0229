package dev.citadel.datasets.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import de.siegmar.fastcsv.writer.CsvWriter;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.privacy.ProtectionAction;
import dev.citadel.privacy.Protections;
import dev.citadel.privacy.SensitiveKind;
import dev.citadel.privacy.Tokenizer;
import dev.citadel.privacy.ColumnDetector;
import dev.citadel.privacy.ValueDetectors;

/**
 * One pass over an upload: validate every row, run every detector on every value, protect, and
 * write the protected CSV — in bounded memory.
 *
 * <p>Protection actions are fixed after a decision window (the first rows, by default 1,000):
 * columns found sensitive by then get the policy's action or, by default, {@code tokenize}
 * ({@code mask} for free text). Detection goes on over every later value; an identifier that turns
 * up later in a column that looked clean is redacted value by value, so nothing detected is ever
 * stored unprotected unless a data steward's policy says {@code keep}. Whatever throws here aborts
 * the encrypted write: nothing is stored.
 */
public final class IngestPipeline implements RowSink {

    private final Map<String, ProtectionAction> policy;
    private final Validator validator;
    private final Tokenizer.Tokens tokens;
    private final int window;
    private final CsvWriter csv;

    private String[] names;
    private ColumnDetector[] detectors;
    private ColumnProfile[] profiles;
    private Plan[] plans;
    private long[] redacted;
    private Map<SensitiveKind, Long>[] lateKinds;
    private final List<Buffered> buffer = new ArrayList<>();
    /** Tokens of recently seen values: repeated identifiers are encrypted once per upload. */
    private final java.util.HashMap<String, String> tokenCache = new java.util.HashMap<>();
    private static final int TOKEN_CACHE_LIMIT = 65_536;
    private boolean decided;
    private long rows;

    private record Buffered(String[] fields, SensitiveKind[] kinds, long line) {}

    /** A column's fixed treatment: the action, the kind it protects against, and whether it is stored. */
    private record Plan(ProtectionAction action, SensitiveKind kind, boolean explicitKeep) {
        static final Plan NONE = new Plan(null, null, false);
    }

    public IngestPipeline(Map<String, ProtectionAction> policy, Expectations expectations, Tokenizer.Tokens tokens,
            int decisionWindowRows, OutputStream out) {
        this.policy = Map.copyOf(policy);
        this.validator = new Validator(expectations);
        this.tokens = tokens;
        this.window = decisionWindowRows;
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        this.csv = CsvWriter.builder().build(writer);
    }

    @Override
    @SuppressWarnings("unchecked")
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
        profiles = new ColumnProfile[names.length];
        redacted = new long[names.length];
        lateKinds = new Map[names.length];
        for (int i = 0; i < names.length; i++) {
            detectors[i] = new ColumnDetector(names[i]);
            lateKinds[i] = new EnumMap<>(SensitiveKind.class);
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
        if (decided) {
            write(fields, kinds, line);
        } else {
            buffer.add(new Buffered(fields, kinds, line));
            if (buffer.size() >= window) {
                decide();
            }
        }
    }

    /** Flushes the output and returns what the upload produced. */
    public IngestResult finish() {
        if (names == null) {
            throw IngestProblem.of(ErrorCode.DATASET_EMPTY, "The upload is empty: it needs a header row.");
        }
        if (!decided) {
            decide();
        }
        List<Finding> findings = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<ColumnSchema> schema = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            Optional<ColumnDetector.Verdict> verdict = detectors[i].verdict();
            Plan plan = plans[i];
            if (verdict.isPresent()) {
                ColumnDetector.Verdict v = verdict.get();
                if (plan.action() == ProtectionAction.REJECT) {
                    throw rejected(i, v.kind());
                }
                String action = plan.action() != null ? plan.action().wireName() : "redact-values";
                findings.add(new Finding(names[i], v.kind().wireName(), round(v.matchRatio()), v.confidence(), action,
                        plan.action() == null ? redacted[i] : null));
                if (plan.explicitKeep()) {
                    kept.add(names[i]);
                }
            } else if (redacted[i] > 0) {
                SensitiveKind late = lateKinds[i].entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                long nonNull = Math.max(1, rows);
                findings.add(new Finding(names[i], late.wireName(), round(redacted[i] / (double) nonNull), "medium",
                        "redact-values", redacted[i]));
            }
            if (plan.action() != ProtectionAction.DROP) {
                schema.add(profiles[i].result(verdict.isPresent() || redacted[i] > 0));
            }
        }
        try {
            csv.close();
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
        profiles = new ColumnProfile[names.length];
        for (int i = 0; i < names.length; i++) {
            profiles[i] = new ColumnProfile(names[i]);
        }
        csv.writeRecord(header);
        decided = true;
        for (Buffered row : buffer) {
            write(row.fields(), row.kinds(), row.line());
        }
        buffer.clear();
    }

    private void write(String[] fields, SensitiveKind[] kinds, long line) {
        List<String> out = new ArrayList<>(fields.length);
        for (int i = 0; i < fields.length; i++) {
            Plan plan = plans[i];
            if (plan.action() == ProtectionAction.DROP) {
                continue;
            }
            String value = protect(i, plan, fields[i], kinds[i], line);
            profiles[i].observe(value);
            out.add(value);
        }
        csv.writeRecord(out);
    }

    private String protect(int column, Plan plan, String value, SensitiveKind kind, long line) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (plan.action() == null || plan.action() == ProtectionAction.REJECT) {
            if (kind == SensitiveKind.FREE_TEXT_PII) {
                lateRedaction(column, kind);
                return ValueDetectors.redactIdentifiers(value);
            }
            if (kind != null) {
                lateRedaction(column, kind);
                return "[REDACTED:" + kind.wireName() + "]";
            }
            return value;
        }
        return switch (plan.action()) {
            case KEEP -> value;
            case TOKENIZE -> tokenize(value.strip());
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

    private String tokenize(String value) {
        String token = tokenCache.get(value);
        if (token == null) {
            if (tokenCache.size() >= TOKEN_CACHE_LIMIT) {
                tokenCache.clear();
            }
            token = tokens.tokenize(value);
            tokenCache.put(value, token);
        }
        return token;
    }

    private void lateRedaction(int column, SensitiveKind kind) {
        redacted[column]++;
        lateKinds[column].merge(kind, 1L, Long::sum);
    }

    private CitadelException rejected(int column, SensitiveKind kind) {
        return IngestProblem.at(ErrorCode.DATASET_SENSITIVE_REJECTED, "Column '" + names[column] + "' holds "
                + kind.wireName() + " values and the dataset's privacy policy rejects them; nothing was stored", 0, null);
    }

    private static double round(double ratio) {
        return Math.round(ratio * 10_000) / 10_000.0;
    }
}
