package dev.citadel.datasets.ingest;

import java.util.List;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/** Builds the 4xx problems of an upload, with the line and column where they are known. */
public final class IngestProblem {

    private IngestProblem() {}

    public static CitadelException at(ErrorCode code, String detail, long line, String column) {
        String where = line > 0 ? (column != null ? "line " + line + ", column '" + column + "'" : "line " + line) : null;
        return new CitadelException(code, where == null ? detail : detail + " (" + where + ")",
                where == null ? List.of() : List.of(new CitadelException.FieldProblem(where, detail)), null);
    }

    public static CitadelException of(ErrorCode code, String detail) {
        return at(code, detail, 0, null);
    }
}
