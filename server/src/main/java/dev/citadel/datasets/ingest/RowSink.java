package dev.citadel.datasets.ingest;

/** Receives a table row by row, whatever its source format (CSV, Excel). */
public interface RowSink {

    void header(String[] names);

    /** One data row; {@code line} is the 1-based line (CSV) or row (Excel) it came from. */
    void row(String[] fields, long line);
}
