package dev.citadel.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.springframework.stereotype.Service;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.datasets.Datasets;
import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.datasets.ingest.CsvRows;
import dev.citadel.datasets.ingest.Finding;
import dev.citadel.datasets.ingest.RowSink;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.training.privacy.GaussianNoise;

/**
 * Differentially private dataset profiles: the row count, and per declared column a count, a mean
 * (clamped to declared bounds) and a histogram (declared bins or categories), each released with
 * discrete Gaussian noise and charged to the dataset version's privacy ledger, so that roles that
 * may not read content (viewer) can see figures about it that protect each row.
 *
 * <p>Security guarantees: nothing is computed from the data before the request's ε is charged
 * (a refusal charges and reads nothing); every released figure is computed only from declared
 * bounds, bins and categories and the noisy aggregates, never from raw statistics; the whole
 * release is ρ-zCDP with ρ converted from the requested (ε, δ) and split evenly over the
 * queries (docs/privacy.md); columns holding detected personal data are refused. Each profile is
 * audited ({@code dataset.dp-profile}) with its ε and column names, never a figure.
 */
@Service
public class DpProfiles {

    static final double MAX_EPSILON = 10;
    static final int MAX_COLUMNS = 50;
    static final int MAX_BINS = 100;
    static final int MAX_CATEGORIES = 100;
    /** Numeric values are clamped to their bounds and placed on a grid of this many steps before summing. */
    static final int GRID = 1 << 12;
    static final String MECHANISM = "discrete-gaussian-cks2020";

    private final Datasets datasets;
    private final PrivacyBudgets budgets;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;

    DpProfiles(Datasets datasets, PrivacyBudgets budgets, AuditLog audit, TenantTransactions transactions, Clock clock) {
        this.datasets = datasets;
        this.budgets = budgets;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** What to profile: ε (and δ, default 1/n²), and each column with its bounds and bins or categories. */
    public record ProfileRequest(Double epsilon, Double delta,
            @Size(max = MAX_COLUMNS) List<@Valid ProfileColumn> columns) {}

    /** A numeric column declares {@code bounds} (and optionally {@code bins}); any other declares {@code categories}. */
    public record ProfileColumn(@Size(max = 256) String name, @Size(max = 2) List<Double> bounds, Integer bins,
            @Size(max = MAX_CATEGORIES) List<@Size(max = 256) String> categories) {}

    /** A released profile. */
    public record DpProfile(UUID id, String dataset, int version, double epsilon, double delta, double rho, int queries,
            String mechanism, long rows, List<ProfileColumnResult> columns, String createdBy, Instant createdAt) {}

    /** One column's noisy figures; {@code mean} only for numeric columns. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProfileColumnResult(String name, long count, Double mean, List<Double> bounds,
            List<ProfileBin> histogram) {}

    public record ProfileBin(String bin, long count) {}

    public DpProfile profile(TenantId tenant, String dataset, int version, ProfileRequest request) {
        Datasets.VersionView described = datasets.version(tenant, dataset, version);
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        List<Query> queries = check(request, described, problems);
        double delta = request.delta() != null ? request.delta() : 1.0 / ((double) Math.max(2, described.rows())
                * Math.max(2, described.rows()));
        if (request.delta() != null && !(request.delta() > 0 && request.delta() < 1.0 / Math.max(2, described.rows()))) {
            problems.add(new CitadelException.FieldProblem("delta", "a number greater than 0 and below 1/n, n = "
                    + described.rows() + " rows (default 1/n²)"));
        }
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.PRIVACY_PROFILE_INVALID, "The DP profile request breaks "
                    + problems.size() + " rule(s); see errors.", problems, null);
        }
        double epsilon = request.epsilon();
        double rho = GaussianNoise.rho(epsilon, delta);
        int count = 1 + queries.stream().mapToInt(Query::queries).sum();
        UUID id = UUID.randomUUID();
        String actor = Principals.currentActor();
        try {
            transactions.inTenant(tenant, () -> budgets.charge(tenant, dataset, version, id, "profile", null, epsilon,
                    delta, actor));
        } catch (CitadelException e) {
            if (e.code() == ErrorCode.PRIVACY_BUDGET_EXHAUSTED) {
                budgets.refused(tenant, dataset, version, "profile", epsilon);
            }
            throw e;
        }
        Aggregates exact = aggregate(tenant, dataset, version, queries);
        GaussianNoise noise = new GaussianNoise(new SecureRandom());
        double perQuery = rho / count;
        long rows = Math.max(0, noise.add(exact.rows, GaussianNoise.variance(1, perQuery)));
        List<ProfileColumnResult> results = new ArrayList<>();
        for (Query query : queries) {
            results.add(query.release(exact, noise, perQuery));
        }
        Instant now = clock.instant();
        Map<String, String> details = new TreeMap<>();
        details.put("dataset", dataset + "/v" + version);
        details.put("profile", id.toString());
        details.put("epsilon", Double.toString(epsilon));
        details.put("delta", Double.toString(delta));
        details.put("columns", TrainingJobs.clip(String.join(",", queries.stream().map(Query::name).toList())));
        transactions.inTenant(tenant, () -> audit.append(AuditEvent.of(tenant, "dataset.dp-profile", "dataset", dataset,
                AuditOutcome.SUCCESS, details)));
        return new DpProfile(id, dataset, version, epsilon, delta, rho, count, MECHANISM, rows, results, actor, now);
    }

    private static List<Query> check(ProfileRequest request, Datasets.VersionView version,
            List<CitadelException.FieldProblem> problems) {
        if (request.epsilon() == null || !(request.epsilon() > 0 && request.epsilon() <= MAX_EPSILON)) {
            problems.add(new CitadelException.FieldProblem("epsilon", "a number greater than 0 and at most "
                    + (int) MAX_EPSILON));
        }
        List<ProfileColumn> columns = request.columns() == null ? List.of() : request.columns();
        if (columns.isEmpty() || columns.size() > MAX_COLUMNS) {
            problems.add(new CitadelException.FieldProblem("columns", "1 to " + MAX_COLUMNS + " columns"));
        }
        Map<String, ColumnSchema> schema = new HashMap<>();
        version.schema().forEach(c -> schema.put(c.name(), c));
        Set<String> personal = new HashSet<>();
        if (version.findings() != null) {
            version.findings().stream().map(Finding::column).forEach(personal::add);
        }
        List<Query> queries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < columns.size(); i++) {
            ProfileColumn column = columns.get(i);
            String field = "columns[" + i + "]";
            ColumnSchema stored = column == null || column.name() == null ? null : schema.get(column.name());
            if (stored == null) {
                problems.add(new CitadelException.FieldProblem(field + ".name", "a column of the dataset version"));
                continue;
            }
            if (!seen.add(column.name())) {
                problems.add(new CitadelException.FieldProblem(field + ".name", "named twice"));
                continue;
            }
            if (personal.contains(column.name())) {
                problems.add(new CitadelException.FieldProblem(field + ".name", "holds detected personal data: "
                        + "not profiled"));
                continue;
            }
            boolean numeric = stored.type().equals("integer") || stored.type().equals("decimal");
            if (numeric) {
                List<Double> bounds = column.bounds();
                if (bounds == null || bounds.size() != 2 || bounds.get(0) == null || bounds.get(1) == null
                        || !Double.isFinite(bounds.get(0)) || !Double.isFinite(bounds.get(1))
                        || !(bounds.get(0) < bounds.get(1)) || !Double.isFinite(bounds.get(1) - bounds.get(0))) {
                    problems.add(new CitadelException.FieldProblem(field + ".bounds", "declare [low, high] with low < high: "
                            + "values are clamped to it"));
                    continue;
                }
                if (column.bins() != null && (column.bins() < 1 || column.bins() > MAX_BINS)) {
                    problems.add(new CitadelException.FieldProblem(field + ".bins", "1 to " + MAX_BINS));
                    continue;
                }
                if (column.categories() != null) {
                    problems.add(new CitadelException.FieldProblem(field + ".categories", "a numeric column takes bounds "
                            + "and bins"));
                    continue;
                }
                queries.add(new Numeric(column.name(), bounds.get(0), bounds.get(1),
                        column.bins() == null ? 0 : column.bins()));
            } else {
                List<String> categories = column.categories();
                if (categories == null || categories.isEmpty()
                        || categories.stream().anyMatch(c -> c == null || c.isBlank())
                        || new HashSet<>(categories).size() != categories.size()) {
                    problems.add(new CitadelException.FieldProblem(field + ".categories", "declare the distinct "
                            + "categories to count (1 to " + MAX_CATEGORIES + "); other values count as \"(other)\""));
                    continue;
                }
                if (column.bounds() != null || column.bins() != null) {
                    problems.add(new CitadelException.FieldProblem(field + ".bounds", "a " + stored.type()
                            + " column takes categories"));
                    continue;
                }
                queries.add(new Categorical(column.name(), stored.type(), List.copyOf(categories)));
            }
        }
        return queries;
    }

    /** Exact aggregates, held only in memory until noise is added. */
    private static final class Aggregates {
        long rows;
        final Map<String, long[]> numbers = new HashMap<>();
    }

    private Aggregates aggregate(TenantId tenant, String dataset, int version, List<Query> queries) {
        Aggregates result = new Aggregates();
        queries.forEach(q -> result.numbers.put(q.name(), new long[q.slots()]));
        try (InputStream content = datasets.content(tenant, dataset, version)) {
            CsvRows.read(content, 1 << 20, 100_000, new RowSink() {
                private Query[] byIndex;

                @Override
                public void header(String[] names) {
                    byIndex = new Query[names.length];
                    for (int i = 0; i < names.length; i++) {
                        String name = names[i].strip();
                        for (Query q : queries) {
                            if (q.name().equals(name)) {
                                byIndex[i] = q;
                            }
                        }
                    }
                }

                @Override
                public void row(String[] fields, long line) {
                    result.rows++;
                    for (int i = 0; i < fields.length && i < byIndex.length; i++) {
                        if (byIndex[i] != null) {
                            byIndex[i].add(fields[i], result.numbers.get(byIndex[i].name()));
                        }
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** One column's queries over the rows: its exact aggregate slots and how they are released. */
    private sealed interface Query permits Numeric, Categorical {
        String name();

        int slots();

        /** How many separately noised queries (each gets an equal share of ρ). */
        int queries();

        void add(String cell, long[] slots);

        ProfileColumnResult release(Aggregates exact, GaussianNoise noise, double rho);
    }

    /** Slots: [count, grid sum, bin 0, …]; count Δ = 1, grid sum Δ = GRID, histogram Δ₂ = 1 (one bin per row). */
    private record Numeric(String name, double low, double high, int bins) implements Query {

        @Override
        public int slots() {
            return 2 + bins;
        }

        @Override
        public int queries() {
            return bins > 0 ? 3 : 2;
        }

        @Override
        public void add(String cell, long[] slots) {
            if (ColumnSchema.isNull(cell)) {
                return;
            }
            double value;
            try {
                value = Double.parseDouble(cell.strip());
            } catch (NumberFormatException e) {
                return;
            }
            if (Double.isNaN(value)) {
                return;
            }
            double position = (Math.min(high, Math.max(low, value)) - low) / (high - low);
            slots[0]++;
            slots[1] += Math.round(position * GRID);
            if (bins > 0) {
                slots[2 + Math.min(bins - 1, (int) Math.floor(position * bins))]++;
            }
        }

        @Override
        public ProfileColumnResult release(Aggregates exact, GaussianNoise noise, double rho) {
            long[] slots = exact.numbers.get(name);
            long count = Math.max(0, noise.add(slots[0], GaussianNoise.variance(1, rho)));
            long sum = noise.add(slots[1], GaussianNoise.variance(GRID, rho));
            double mean = count == 0 ? (low + high) / 2
                    : Math.min(high, Math.max(low, low + (double) sum / GRID / count * (high - low)));
            List<ProfileBin> histogram = null;
            if (bins > 0) {
                histogram = new ArrayList<>();
                double width = (high - low) / bins;
                for (int b = 0; b < bins; b++) {
                    String label = String.format(Locale.ROOT, "[%s, %s%s", format(low + b * width),
                            format(b == bins - 1 ? high : low + (b + 1) * width), b == bins - 1 ? "]" : ")");
                    histogram.add(new ProfileBin(label, Math.max(0, noise.add(slots[2 + b], GaussianNoise.variance(1, rho)))));
                }
            }
            return new ProfileColumnResult(name, count, mean, List.of(low, high), histogram);
        }

        private static String format(double value) {
            return String.format(Locale.ROOT, "%.6g", value).replaceAll("\\.?0+($|e)", "$1");
        }
    }

    /** Slots: one per declared category, then "(other)" and "(missing)"; each row counts in one: Δ₂ = 1. */
    private record Categorical(String name, String type, List<String> categories, Map<String, Integer> index)
            implements Query {

        Categorical(String name, String type, List<String> categories) {
            this(name, type, categories, indexOf(categories));
        }

        private static Map<String, Integer> indexOf(List<String> categories) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < categories.size(); i++) {
                index.putIfAbsent(categories.get(i), i);
            }
            return index;
        }

        @Override
        public int slots() {
            return categories.size() + 2;
        }

        @Override
        public int queries() {
            return 1;
        }

        @Override
        public void add(String cell, long[] slots) {
            if (ColumnSchema.isNull(cell)) {
                slots[categories.size() + 1]++;
                return;
            }
            Integer at = index.get(TrainingTable.normalise(cell, type));
            slots[at == null ? categories.size() : at]++;
        }

        @Override
        public ProfileColumnResult release(Aggregates exact, GaussianNoise noise, double rho) {
            long[] slots = exact.numbers.get(name);
            double variance = GaussianNoise.variance(1, rho);
            Map<String, Long> bins = new LinkedHashMap<>();
            for (int i = 0; i < slots.length; i++) {
                String label = i < categories.size() ? categories.get(i) : i == categories.size() ? "(other)" : "(missing)";
                bins.put(label, Math.max(0, noise.add(slots[i], variance)));
            }
            long present = bins.entrySet().stream().filter(e -> !e.getKey().equals("(missing)"))
                    .mapToLong(Map.Entry::getValue).sum();
            return new ProfileColumnResult(name, present, null, null,
                    bins.entrySet().stream().map(e -> new ProfileBin(e.getKey(), e.getValue())).toList());
        }
    }
}
