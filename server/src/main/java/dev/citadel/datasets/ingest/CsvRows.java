package dev.citadel.datasets.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

import dev.citadel.platform.errors.ErrorCode;

/**
 * Streams RFC 4180 CSV (FastCSV) into a {@link RowSink}: strict UTF-8 (malformed bytes are an
 * error, a leading BOM is dropped), every row must have the header's field count, quotes must
 * close, and a field or record may not exceed the configured size. Memory stays constant.
 */
public final class CsvRows {

    private static final Pattern LINE = Pattern.compile("(?i)line (\\d+)");

    private CsvRows() {}

    public static void read(InputStream in, int maxFieldChars, int maxColumns, RowSink sink) {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        CsvReader<CsvRecord> csv = CsvReader.builder()
                .allowExtraFields(false).allowMissingFields(false).allowUnclosedQuote(false)
                .allowExtraCharsAfterClosingQuote(false).skipEmptyLines(true)
                .maxBufferSize(Math.max(maxFieldChars * 2, 1024))
                .ofCsvRecord(reader);
        long lastLine = 0;
        boolean header = true;
        try (csv) {
            for (CsvRecord record : csv) {
                lastLine = record.getStartingLineNumber();
                String[] fields = record.getFields().toArray(String[]::new);
                if (header) {
                    if (fields.length > 0 && fields[0].startsWith("\uFEFF")) {
                        fields[0] = fields[0].substring(1);
                    }
                    if (fields.length > maxColumns) {
                        throw IngestProblem.at(ErrorCode.DATASET_INVALID_HEADER,
                                "The header has " + fields.length + " columns; the limit is " + maxColumns, lastLine, null);
                    }
                    sink.header(fields);
                    header = false;
                } else {
                    checkFields(fields, maxFieldChars, lastLine);
                    sink.row(fields, lastLine);
                }
            }
        } catch (CsvParseException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof dev.citadel.platform.errors.CitadelException citadel) {
                    throw citadel;
                }
                if (cause instanceof CharacterCodingException) {
                    throw IngestProblem.at(ErrorCode.DATASET_INVALID_ENCODING, "The upload is not valid UTF-8",
                            lineOf(e, lastLine + 1), null);
                }
            }
            throw IngestProblem.at(ErrorCode.DATASET_INVALID_CSV, describe(e), lineOf(e, lastLine + 1), null);
        } catch (UncheckedIOException e) {
            throw translate(e.getCause(), lastLine + 1);
        } catch (IOException e) {
            throw translate(e, lastLine + 1);
        }
        if (header) {
            throw IngestProblem.of(ErrorCode.DATASET_EMPTY, "The upload is empty: it needs a header row and data rows.");
        }
    }

    static void checkFields(String[] fields, int maxFieldChars, long line) {
        for (String field : fields) {
            if (field.length() > maxFieldChars) {
                throw IngestProblem.at(ErrorCode.DATASET_INVALID_CSV, "A field is longer than " + maxFieldChars
                        + " characters", line, null);
            }
            if (field.indexOf('\u0000') >= 0) {
                throw IngestProblem.at(ErrorCode.DATASET_INVALID_CSV, "The upload contains binary data, not CSV", line, null);
            }
        }
    }

    private static RuntimeException translate(Throwable e, long line) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CharacterCodingException) {
                return IngestProblem.at(ErrorCode.DATASET_INVALID_ENCODING, "The upload is not valid UTF-8", line, null);
            }
            if (cause instanceof RuntimeException runtime && runtime instanceof dev.citadel.platform.errors.CitadelException) {
                return runtime;
            }
        }
        String message = e == null || e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("buffer size")) {
            return IngestProblem.at(ErrorCode.DATASET_INVALID_CSV,
                    "A field or line is too long (an unclosed quote?)", line, null);
        }
        return new dev.citadel.platform.errors.CitadelException(ErrorCode.UPLOAD_INTERRUPTED,
                "The upload could not be read to the end; nothing was stored.", e);
    }

    private static String describe(CsvParseException e) {
        String message = String.valueOf(e.getMessage()) + " " + (e.getCause() == null ? "" : e.getCause().getMessage());
        if (message.contains("field") && (message.contains("expected") || message.contains("fields"))) {
            return "A row does not have as many fields as the header";
        }
        if (message.toLowerCase().contains("quote")) {
            return "A quoted field is not closed or has text after its closing quote";
        }
        if (message.contains("buffer")) {
            return "A field or line is too long (an unclosed quote?)";
        }
        return "The upload is not valid CSV";
    }

    private static long lineOf(CsvParseException e, long fallback) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = LINE.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return fallback;
    }
}
