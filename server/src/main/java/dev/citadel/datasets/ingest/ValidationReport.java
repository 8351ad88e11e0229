package dev.citadel.datasets.ingest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of checking a version against its dataset's expectations: each check, whether it
 * passed, how many rows failed it and a few example line numbers — never the failing values.
 */
public record ValidationReport(boolean passed, List<Result> results) {

    public static final ValidationReport EMPTY = new ValidationReport(true, List.of());

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String column, String check, boolean passed, long failures, List<Long> exampleLines, String note) {}
}
