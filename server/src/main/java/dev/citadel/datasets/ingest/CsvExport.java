package dev.citadel.datasets.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;

/**
 * Streams stored (protected) CSV out for download, neutralising CSV injection (OWASP): a text
 * cell beginning with {@code =}, {@code +}, {@code -}, {@code @}, tab or carriage return is
 * prefixed with a single quote so spreadsheets treat it as text, while plain numbers such as
 * {@code -3.5} or {@code +1e3} stay numbers.
 */
public final class CsvExport {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private CsvExport() {}

    public static void copyNeutralised(InputStream storedCsv, OutputStream out) throws IOException {
        CsvWriter writer = CsvWriter.builder().build(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        try (CsvReader<CsvRecord> reader = CsvReader.builder().maxBufferSize(32 * 1024 * 1024)
                .ofCsvRecord(new InputStreamReader(storedCsv, StandardCharsets.UTF_8))) {
            List<String> cells = new ArrayList<>();
            for (CsvRecord record : reader) {
                cells.clear();
                for (String field : record.getFields()) {
                    cells.add(neutralise(field));
                }
                writer.writeRecord(cells);
            }
        }
        writer.close();
    }

    public static String neutralise(String cell) {
        if (cell.isEmpty()) {
            return cell;
        }
        char first = cell.charAt(0);
        boolean risky = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        if (!risky || NUMBER.matcher(cell).matches()) {
            return cell;
        }
        return "'" + cell;
    }
}
