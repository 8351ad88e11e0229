package dev.citadel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class TableTest {

    private static String print(Table table, Format format) {
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out), format);
        return out.toString();
    }

    @Test
    void alignsColumnsForPeople() {
        Table table = Table.of("NAME", "ROWS").row("admissions", 400).row("x", Json.parse("12"));
        assertThat(print(table, Format.TABLE).lines()).containsExactly("NAME        ROWS", "admissions  400", "x           12");
    }

    @Test
    void writesRfc4180CsvWithQuotesAndCrlf() {
        Table table = Table.of("A", "B").row("plain", "with, comma").row("say \"hi\"", null);
        assertThat(print(table, Format.CSV)).isEqualTo("A,B\r\nplain,\"with, comma\"\r\n\"say \"\"hi\"\"\",\r\n");
    }

    @Test
    void neutralisesSpreadsheetFormulasButNotNumbers() {
        assertThat(Table.csvCell("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(Table.csvCell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Table.csvCell("-minus")).isEqualTo("'-minus");
        assertThat(Table.csvCell("-3.5")).isEqualTo("-3.5");
        assertThat(Table.csvCell("+2.25")).isEqualTo("+2.25");
    }

    @Test
    void removesTerminalControlCharactersFromServerText() {
        Table table = Table.of("V").row(Json.parse("\"\\u001b[31mred\\u0007\""));
        assertThat(print(table, Format.TABLE)).doesNotContain("\u001b").contains("\\u001b[31mred\\u0007");
    }

    @Test
    void fieldTablesShowArraysOfValuesAsWordsAndSkipAbsentFields() {
        Table table = Table.fields(Json.parse("{\"name\":\"bob\",\"roles\":[\"viewer\",\"auditor\"],\"gone\":null}"),
                "name", "roles", "missing");
        assertThat(print(table, Format.TABLE)).contains("roles  viewer auditor").doesNotContain("missing");
    }

    @Test
    void theProgressBarFillsWithThePercent() {
        assertThat(JobWatcher.bar(50, "training")).isEqualTo("[###############...............]  50% training");
        assertThat(JobWatcher.bar(140, "done")).startsWith("[##############################] 100%");
    }
}
