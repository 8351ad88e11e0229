package dev.citadel.datasets.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * What every version of a dataset must satisfy, declared with the dataset.
 *
 * @param columns         per-column expectations
 * @param rowCount        bounds on the number of data rows
 * @param rejectOnFailure whether a version that fails is refused (otherwise stored with a failing report)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Expectations(List<Column> columns, RowCount rowCount, boolean rejectOnFailure) {

    public static final Expectations NONE = new Expectations(List.of(), null, false);
    static final Set<String> TYPES = Set.of("integer", "decimal", "boolean", "date", "timestamp", "text", "categorical");

    public Expectations {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    /** Expectations on one column; every field but {@code column} is optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Column(String column, Boolean present, String type, Boolean notNull, Boolean unique, Double min,
            Double max, List<String> allowedValues, String regex) {}

    public record RowCount(Long min, Long max) {}

    /** Refuses expectations that cannot be checked safely (unknown types, oversized or invalid patterns). */
    public Expectations validated() {
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        if (columns.size() > 1024) {
            problems.add(new CitadelException.FieldProblem("columns", "at most 1024 expectations"));
        }
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            String at = "columns[" + i + "]";
            if (c.column() == null || c.column().isBlank() || c.column().length() > 256) {
                problems.add(new CitadelException.FieldProblem(at + ".column", "must name a column (1-256 characters)"));
            }
            if (c.type() != null && !TYPES.contains(c.type())) {
                problems.add(new CitadelException.FieldProblem(at + ".type", "must be one of " + TYPES));
            }
            if (c.allowedValues() != null && c.allowedValues().size() > 1000) {
                problems.add(new CitadelException.FieldProblem(at + ".allowedValues", "at most 1000 values"));
            }
            if (c.regex() != null) {
                if (c.regex().length() > 200) {
                    problems.add(new CitadelException.FieldProblem(at + ".regex", "at most 200 characters"));
                } else {
                    try {
                        Pattern.compile(c.regex());
                    } catch (PatternSyntaxException e) {
                        problems.add(new CitadelException.FieldProblem(at + ".regex", "is not a valid regular expression"));
                    }
                }
            }
            if (c.min() != null && c.max() != null && c.min() > c.max()) {
                problems.add(new CitadelException.FieldProblem(at, "min is greater than max"));
            }
        }
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.DATASET_POLICY_INVALID, "The expectations are invalid.", problems, null);
        }
        return this;
    }
}
