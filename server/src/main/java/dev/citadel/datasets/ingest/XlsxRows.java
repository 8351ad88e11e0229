package dev.citadel.datasets.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.util.ZipInputStreamZipEntrySource;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Reads one sheet of an Excel workbook (.xlsx) with Apache POI's event API (SAX) into a
 * {@link RowSink}, so it goes through exactly the same pipeline as CSV.
 *
 * <p>Security: the workbook is read into memory (bounded by {@code maxBytes}) and never written to
 * disk; POI's XML parsers have external entities and DTDs off; zip-bomb limits (inflation ratio,
 * entry size, text size) apply; formulas are taken as their cached values and never evaluated;
 * macros cannot run — an .xlsx holds none and POI executes none.
 *
 * <p>A numeric cell is its value, not its display text: Excel's "General" format would turn
 * 900000000001 into {@code 9E+11} and π into {@code 3.141592654}, and a date into {@code 3/15/23},
 * none of which a dataset can use.
 */
public final class XlsxRows {

    static {
        ZipSecureFile.setMinInflateRatio(0.01);
        ZipSecureFile.setMaxFileCount(1_000);
        ZipSecureFile.setMaxEntrySize(1L << 30);
        ZipSecureFile.setMaxTextSize(256L << 20);
        ZipInputStreamZipEntrySource.setThresholdBytesForTempFiles(-1);
    }

    private XlsxRows() {}

    public static void read(InputStream in, long maxBytes, String sheet, int maxFieldChars, int maxColumns, RowSink sink) {
        byte[] bytes = readBounded(in, maxBytes);
        if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
            throw IngestProblem.of(ErrorCode.DATASET_INVALID_XLSX, "The upload is not an .xlsx workbook");
        }
        try (OPCPackage workbook = OPCPackage.open(new ByteArrayInputStream(bytes))) {
            XSSFReader reader = new XSSFReader(workbook);
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (sheets.hasNext()) {
                try (InputStream sheetData = sheets.next()) {
                    if (sheet == null || sheet.equals(sheets.getSheetName())) {
                        parse(reader, workbook, sheetData, maxFieldChars, maxColumns, sink);
                        return;
                    }
                }
            }
            throw IngestProblem.of(ErrorCode.DATASET_INVALID_XLSX,
                    sheet == null ? "The workbook has no sheet" : "The workbook has no sheet with that name");
        } catch (CitadelException e) {
            throw e;
        } catch (IOException | OpenXML4JException | SAXException | javax.xml.parsers.ParserConfigurationException
                | RuntimeException e) {
            throw IngestProblem.of(ErrorCode.DATASET_INVALID_XLSX, "The workbook could not be read (corrupt, encrypted, "
                    + "too large when unpacked, or not an .xlsx file)");
        }
    }

    private static void parse(XSSFReader reader, OPCPackage workbook, InputStream sheetData, int maxFieldChars,
            int maxColumns, RowSink sink) throws IOException, OpenXML4JException, SAXException,
            javax.xml.parsers.ParserConfigurationException {
        Rows rows = new Rows(sink, maxFieldChars, maxColumns);
        XMLReader parser = XMLHelper.newXMLReader();
        parser.setContentHandler(new XSSFSheetXMLHandler(reader.getStylesTable(), null,
                new ReadOnlySharedStringsTable(workbook), rows, new CellValues(), false));
        parser.parse(new InputSource(sheetData));
        rows.done();
    }

    private static byte[] readBounded(InputStream in, long maxBytes) {
        try {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw IngestProblem.of(ErrorCode.DATASET_TOO_LARGE, "The workbook is larger than the " + maxBytes
                        + "-byte limit for Excel uploads; upload CSV for larger data");
            }
            return bytes;
        } catch (IOException e) {
            throw new CitadelException(ErrorCode.UPLOAD_INTERRUPTED, "The upload could not be read to the end.", e);
        }
    }

    /**
     * Renders a numeric cell as its full-precision value in plain notation, a date-formatted one as
     * an ISO-8601 date, time or date-time; only zero-padded codes (format {@code 00000}, e.g. postal
     * codes) keep their displayed digits.
     */
    static final class CellValues extends DataFormatter {

        private static final Pattern ZERO_PADDED = Pattern.compile("0+");

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                return isoDateTime(value);
            }
            if (formatString != null && ZERO_PADDED.matcher(formatString).matches()) {
                return super.formatRawCellContents(value, formatIndex, formatString);
            }
            return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        }

        private static String isoDateTime(double value) {
            LocalDateTime dateTime = DateUtil.getLocalDateTime(value, false, true);
            if (value < 1) {
                return dateTime.toLocalTime().format(DateTimeFormatter.ISO_LOCAL_TIME);
            }
            if (dateTime.toLocalTime().equals(LocalTime.MIDNIGHT)) {
                return dateTime.toLocalDate().toString();
            }
            return dateTime.toLocalDate() + " " + dateTime.toLocalTime().format(DateTimeFormatter.ISO_LOCAL_TIME);
        }
    }

    /** Assembles cells into rows: the first non-empty row is the header; missing cells are empty. */
    private static final class Rows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final RowSink sink;
        private final int maxFieldChars;
        private final int maxColumns;
        private final List<String> cells = new ArrayList<>();
        private int width = -1;
        private int currentRow;

        Rows(RowSink sink, int maxFieldChars, int maxColumns) {
            this.sink = sink;
            this.maxFieldChars = maxFieldChars;
            this.maxColumns = maxColumns;
        }

        @Override
        public void startRow(int rowNum) {
            cells.clear();
            currentRow = rowNum + 1;
        }

        @Override
        public void cell(String reference, String value, XSSFComment comment) {
            int column = reference == null ? cells.size() : new CellReference(reference).getCol();
            if (column >= Math.max(maxColumns, width < 0 ? maxColumns : width + 1024)) {
                throw IngestProblem.at(ErrorCode.DATASET_INVALID_HEADER, "Too many columns", currentRow, null);
            }
            while (cells.size() < column) {
                cells.add("");
            }
            String text = value == null ? "" : value;
            if (text.length() > maxFieldChars) {
                throw IngestProblem.at(ErrorCode.DATASET_INVALID_CSV, "A cell is longer than " + maxFieldChars
                        + " characters", currentRow, null);
            }
            cells.add(text);
        }

        @Override
        public void endRow(int rowNum) {
            if (cells.stream().allMatch(String::isBlank)) {
                return;
            }
            if (width < 0) {
                width = cells.size();
                sink.header(cells.toArray(String[]::new));
                return;
            }
            for (int i = width; i < cells.size(); i++) {
                if (!cells.get(i).isBlank()) {
                    throw IngestProblem.at(ErrorCode.DATASET_INVALID_CSV, "A row has more cells than the header",
                            currentRow, null);
                }
            }
            String[] row = new String[width];
            for (int i = 0; i < width; i++) {
                row[i] = i < cells.size() ? cells.get(i) : "";
            }
            sink.row(row, currentRow);
        }

        void done() {
            if (width < 0) {
                throw IngestProblem.of(ErrorCode.DATASET_EMPTY, "The sheet is empty: it needs a header row and data rows.");
            }
        }

    }
}
