package dev.citadel.datasets.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;

/**
 * Rows of a stored (protected) CSV that hold a value in given columns: counted, or left out of a
 * copy. Erasure of a data subject uses it with the subject's token and the tokenized columns, so
 * the subject's value itself is never needed.
 */
public final class CsvFilter {

    private CsvFilter() {}

    /** How many data rows have {@code value} in one of {@code columns}. */
    public static long count(InputStream storedCsv, Set<String> columns, String value) throws IOException {
        return copy(storedCsv, null, columns, value)[1];
    }

    /**
     * Copies {@code storedCsv} to {@code out} without the rows that have {@code value} in one of
     * {@code columns}; answers {kept rows, removed rows}.
     */
    public static long[] copyWithout(InputStream storedCsv, OutputStream out, Set<String> columns, String value)
            throws IOException {
        return copy(storedCsv, out, columns, value);
    }

    private static long[] copy(InputStream storedCsv, OutputStream out, Set<String> columns, String value)
            throws IOException {
        CsvWriter writer = out == null ? null : CsvWriter.builder().build(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        long kept = 0;
        long removed = 0;
        try (CsvReader<CsvRecord> reader = CsvReader.builder().maxBufferSize(32 * 1024 * 1024)
                .ofCsvRecord(new InputStreamReader(storedCsv, StandardCharsets.UTF_8))) {
            List<Integer> indexes = null;
            for (CsvRecord record : reader) {
                if (indexes == null) {
                    indexes = new ArrayList<>();
                    for (int i = 0; i < record.getFieldCount(); i++) {
                        if (columns.contains(record.getField(i))) {
                            indexes.add(i);
                        }
                    }
                    if (writer != null) {
                        writer.writeRecord(record.getFields());
                    }
                    continue;
                }
                boolean match = false;
                for (int i : indexes) {
                    if (i < record.getFieldCount() && record.getField(i).equals(value)) {
                        match = true;
                        break;
                    }
                }
                if (match) {
                    removed++;
                } else {
                    kept++;
                    if (writer != null) {
                        writer.writeRecord(record.getFields());
                    }
                }
            }
        }
        if (writer != null) {
            writer.flush();
        }
        return new long[] {kept, removed};
    }
}
