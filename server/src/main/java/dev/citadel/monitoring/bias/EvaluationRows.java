package dev.citadel.monitoring.bias;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongConsumer;

import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.datasets.ingest.CsvRows;
import dev.citadel.datasets.ingest.RowSink;
import dev.citadel.deployments.runtime.EncodedInstance;
import dev.citadel.deployments.runtime.EvaluationModel;
import dev.citadel.deployments.runtime.Prediction;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.registry.InputSchema;
import dev.citadel.training.OfflineTraining;

/**
 * Reads a stored version's rows the way a training job does (same parser, same missing-value and
 * label rules) in two streaming passes: {@link #targets} finds the rows with a target value, from
 * which the held-out rows follow; {@link #score} scores the chosen rows in batches and counts them
 * per group. Memory holds one flag per row and one batch, never the version.
 */
final class EvaluationRows {

    /** The parser limits a training job reads a stored version with. */
    private static final int MAX_FIELD_CHARS = 1 << 20;
    private static final int MAX_COLUMNS = 100_000;
    private static final int BATCH = 256;
    private static final String TOKEN_PREFIX = "tok_";

    private EvaluationRows() {}

    /** Which rows of the version have a value in {@code target}, in file order. */
    static boolean[] targets(InputStream content, String target, LongConsumer progress) throws IOException {
        boolean[][] flags = {new boolean[1024]};
        int[] rows = {0};
        try (content) {
            CsvRows.read(content, MAX_FIELD_CHARS, MAX_COLUMNS, new RowSink() {
                private int column = -1;

                @Override
                public void header(String[] names) {
                    column = indexOf(names, target);
                }

                @Override
                public void row(String[] fields, long line) {
                    if (rows[0] == flags[0].length) {
                        flags[0] = Arrays.copyOf(flags[0], rows[0] * 2);
                    }
                    flags[0][rows[0]++] = !ColumnSchema.isNull(fields[column]);
                    if ((rows[0] & 0xFFFF) == 0) {
                        progress.accept(rows[0]);
                    }
                }
            });
        }
        return Arrays.copyOf(flags[0], rows[0]);
    }

    /** What {@link #score} counted. */
    record Counted(SortedMap<String, BiasMetrics.Tally> groups, long withoutAttribute, long withoutTarget,
            long notScorable) {}

    /**
     * Scores the rows {@code selected} names (every row with a target when null) and counts them by
     * the attribute's value.
     *
     * @throws CitadelException {@code monitoring.bias_too_many_groups} past {@code maxGroups} values,
     *     {@code monitoring.bias_attribute_protected} when the values are tokens
     */
    static Counted score(InputStream content, EvaluationModel model, BiasPlan plan, boolean[] selected, int maxGroups,
            LongConsumer progress) throws IOException {
        Scorer scorer = new Scorer(model, plan, selected, maxGroups, progress);
        try (content) {
            CsvRows.read(content, MAX_FIELD_CHARS, MAX_COLUMNS, scorer);
        }
        scorer.flush();
        return new Counted(scorer.groups, scorer.withoutAttribute, scorer.withoutTarget, scorer.notScorable);
    }

    private static final class Scorer implements RowSink {
        private final EvaluationModel model;
        private final BiasPlan plan;
        private final boolean[] selected;
        private final int maxGroups;
        private final LongConsumer progress;
        private final List<InputSchema.Feature> features;
        private final String targetType;
        private final SortedMap<String, BiasMetrics.Tally> groups = new TreeMap<>();
        private final List<EncodedInstance> batch = new ArrayList<>(BATCH);
        private final List<String> batchGroups = new ArrayList<>(BATCH);
        private final List<String> batchLabels = new ArrayList<>(BATCH);
        private final List<CitadelException.FieldProblem> problems = new ArrayList<>();
        private int attribute;
        private int target;
        private int[] featureColumns;
        private int row;
        long withoutAttribute;
        long withoutTarget;
        long notScorable;

        Scorer(EvaluationModel model, BiasPlan plan, boolean[] selected, int maxGroups, LongConsumer progress) {
            this.model = model;
            this.plan = plan;
            this.selected = selected;
            this.maxGroups = maxGroups;
            this.progress = progress;
            this.features = model.manifest().inputSchema().features();
            this.targetType = model.manifest().inputSchema().target().type();
        }

        @Override
        public void header(String[] names) {
            attribute = indexOf(names, plan.attribute());
            target = indexOf(names, model.manifest().inputSchema().target().name());
            featureColumns = new int[features.size()];
            for (int i = 0; i < features.size(); i++) {
                featureColumns[i] = indexOf(names, features.get(i).name());
            }
        }

        @Override
        public void row(String[] fields, long line) {
            int r = row++;
            if ((row & 0x3FFF) == 0) {
                progress.accept(row);
            }
            if (selected != null && (r >= selected.length || !selected[r])) {
                return;
            }
            // the label as a training job reads it, in the model's target type
            String label = OfflineTraining.category(fields[target], targetType);
            if (label == null) {
                withoutTarget++;
                return;
            }
            String group = OfflineTraining.category(fields[attribute], plan.attributeType());
            if (group == null) {
                withoutAttribute++;
                return;
            }
            problems.clear();
            EncodedInstance instance = model.encoder().encode(instance(fields), 0, problems);
            if (instance == null) {
                notScorable++;
                return;
            }
            batch.add(instance);
            batchGroups.add(group);
            batchLabels.add(label);
            if (batch.size() == BATCH) {
                flush();
            }
        }

        /** A row's feature cells as serving takes them: numbers as numbers, missing as null, the rest as text. */
        private Map<String, Object> instance(String[] fields) {
            Map<String, Object> values = new HashMap<>();
            for (int i = 0; i < featureColumns.length; i++) {
                InputSchema.Feature feature = features.get(i);
                String cell = fields[featureColumns[i]];
                Object value = null;
                if (!ColumnSchema.isNull(cell)) {
                    value = feature.type().equals("integer") || feature.type().equals("decimal") ? number(cell) : cell;
                }
                values.put(feature.name(), value);
            }
            return values;
        }

        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            List<Prediction> predictions = model.predict(batch);
            for (int i = 0; i < predictions.size(); i++) {
                String predicted = predictions.get(i).label();
                String actual = batchLabels.get(i);
                tally(batchGroups.get(i)).add(plan.positiveLabel().equals(predicted),
                        plan.positiveLabel().equals(actual), actual.equals(predicted));
            }
            batch.clear();
            batchGroups.clear();
            batchLabels.clear();
        }

        private BiasMetrics.Tally tally(String group) {
            BiasMetrics.Tally tally = groups.get(group);
            if (tally == null) {
                if (group.startsWith(TOKEN_PREFIX)) {
                    throw new CitadelException(ErrorCode.BIAS_ATTRIBUTE_PROTECTED, "The values of " + plan.attribute()
                            + " are tokens: each stands for one identifier, not a group.");
                }
                if (groups.size() == maxGroups) {
                    throw new CitadelException(ErrorCode.BIAS_TOO_MANY_GROUPS, "The evaluation rows hold more than "
                            + maxGroups + " values of " + plan.attribute() + ".");
                }
                tally = new BiasMetrics.Tally();
                groups.put(group, tally);
            }
            return tally;
        }
    }

    /** A number as a training job reads it: non-numbers and non-finite values count as missing. */
    private static Double number(String cell) {
        try {
            double value = Double.parseDouble(cell.strip());
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int indexOf(String[] names, String column) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].strip().equals(column)) {
                return i;
            }
        }
        throw new CitadelException(ErrorCode.BIAS_FAILED, "The stored dataset version has no column " + column + ".");
    }
}
