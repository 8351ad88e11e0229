package dev.citadel.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Rows under headers, printed as aligned text for people or as CSV (RFC 4180) for spreadsheets and
 * scripts. Cells are cleaned of control characters; in CSV a cell that a spreadsheet would run as a
 * formula is prefixed with {@code '}, as the server does for dataset downloads.
 */
final class Table {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    static Table of(String... headers) {
        return new Table(Arrays.asList(headers));
    }

    static Table of(List<String> headers) {
        return new Table(headers);
    }

    /** A two-column table of the object's fields, in the order given; absent fields are skipped. */
    static Table fields(JsonNode object, String... names) {
        Table table = of("FIELD", "VALUE");
        for (String name : names) {
            JsonNode value = object.path(name);
            if (!value.isMissingNode()) {
                table.row(name, value);
            }
        }
        return table;
    }

    Table row(Object... cells) {
        List<String> row = new ArrayList<>(headers.size());
        for (Object cell : cells) {
            row.add(cell(cell));
        }
        while (row.size() < headers.size()) {
            row.add("");
        }
        rows.add(row);
        return this;
    }

    int size() {
        return rows.size();
    }

    void print(PrintWriter out, Format format) {
        if (format == Format.CSV) {
            printCsv(out);
        } else {
            printText(out);
        }
        out.flush();
    }

    private void printText(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        line(out, headers, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < widths.length - 1) {
                line.append(" ".repeat(widths[i] - cell.length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }

    private void printCsv(PrintWriter out) {
        out.print(csvLine(headers));
        for (List<String> row : rows) {
            out.print(csvLine(row));
        }
    }

    private static String csvLine(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(csvCell(cells.get(i)));
        }
        return line.append("\r\n").toString();
    }

    static String csvCell(String value) {
        String cell = value;
        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 && !NUMBER.matcher(cell).matches()) {
            cell = "'" + cell;
        }
        if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
            cell = '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof JsonNode node) {
            if (node.isNull() || node.isMissingNode()) {
                return "";
            }
            if (node.isValueNode()) {
                return Text.clean(node.asString()).replace('\n', ' ');
            }
            if (node.isArray() && node.valueStream().allMatch(JsonNode::isValueNode)) {
                List<String> items = new ArrayList<>();
                node.forEach(item -> items.add(cell(item)));
                return String.join(" ", items);
            }
            return Text.clean(node.toString()).replace('\n', ' ');
        }
        return Text.clean(String.valueOf(value)).replace('\n', ' ');
    }
}
