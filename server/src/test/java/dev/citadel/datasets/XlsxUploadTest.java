package dev.citadel.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.sun.net.httpserver.HttpServer;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.PlaintextScan;
import tools.jackson.databind.JsonNode;

/**
 * Seed 002 for researchers whose data lives in Excel: an .xlsx workbook goes through exactly the
 * pipeline a CSV goes through (same findings, protection, schema and stored bytes); one sheet is
 * read; cells are their values (formulas their cached results, never evaluated; numbers in full,
 * dates as ISO dates); hostile workbooks (too large, not a workbook, zip bombs, XML external
 * entities) are a 4xx problem that stores nothing and leaks nothing, and a macro part never runs.
 */
class XlsxUploadTest extends IntegrationTest {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @TempDir
    static Path files;

    private String tenant;
    private Fixtures.User scientist;

    @BeforeEach
    void hospital() {
        tenant = fx.createTenant("excel");
        scientist = fx.member(tenant, "data-scientist");
    }

    @Test
    void aPatientWorkbookIsProtectedExactlyAsTheSameCsvIs() throws Exception {
        Api.Response csv = api.postRaw(versions("patients-csv"), fx.token(scientist), "text/csv", PatientData.csv(300));
        assertThat(csv.status()).as(csv.toString()).isEqualTo(201);
        Api.Response xlsx = upload("patients-xlsx", patientWorkbook(300), null);
        assertThat(xlsx.status()).as(xlsx.toString()).isEqualTo(201);

        JsonNode fromCsv = csv.json();
        JsonNode fromXlsx = xlsx.json();
        assertThat(fromXlsx.path("sourceFormat").asString()).isEqualTo("xlsx");
        assertThat(fromXlsx.path("rows").asLong()).isEqualTo(300);
        assertThat(fromXlsx.path("columns").asInt()).isEqualTo(10);
        assertThat(fromXlsx.path("findings")).isEqualTo(fromCsv.path("findings"));
        assertThat(fromXlsx.path("schema")).isEqualTo(fromCsv.path("schema"));
        assertThat(fromXlsx.path("validation")).isEqualTo(fromCsv.path("validation"));
        assertThat(fromXlsx.path("sha256").asString()).as("the same protected bytes are stored")
                .isEqualTo(fromCsv.path("sha256").asString());
        Map<String, String> actions = new TreeMap<>();
        fromXlsx.path("findings").forEach(f -> actions.put(f.path("column").asString(), f.path("action").asString()));
        assertThat(actions).containsEntry("ssn", "tokenize").containsEntry("credit_card", "tokenize")
                .containsEntry("full_name", "tokenize").containsEntry("notes", "mask");

        String content = content("patients-xlsx", 1);
        assertThat(content).isEqualTo(content("patients-csv", 1)).contains("tok_").contains("diabetes");
        Path poiTemp = Path.of(System.getProperty("java.io.tmpdir"), "poifiles");
        for (String identifier : PatientData.identifiers()) {
            byte[] bytes = identifier.getBytes(StandardCharsets.UTF_8);
            assertThat(content).doesNotContain(identifier);
            assertThat(PlaintextScan.filesContaining(DATA_DIR, bytes)).as(identifier).isEmpty();
            if (Files.isDirectory(poiTemp)) {
                assertThat(PlaintextScan.filesContaining(poiTemp, bytes)).as("no unpacked workbook on disk").isEmpty();
            }
        }
    }

    @Test
    void theFirstSheetIsReadUnlessTheUploadNamesAnother() throws IOException {
        byte[] workbook = workbook(book -> {
            fill(book.createSheet("Summary"), List.of(List.of("site", "patients"), List.of("north", 12)));
            fill(book.createSheet("Visits 2024"), List.of(List.of("visit_id", "ward", "minutes"),
                    List.of(1, "A", 30), List.of(2, "B", 45), List.of(3, "A", 15)));
        });
        Api.Response first = upload("sheets", workbook, null);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(columnNames(first.json())).containsExactly("site", "patients");
        assertThat(first.json().path("rows").asLong()).isEqualTo(1);

        Api.Response named = upload("sheets", workbook, "Visits 2024");
        assertThat(named.status()).as(named.toString()).isEqualTo(201);
        assertThat(columnNames(named.json())).containsExactly("visit_id", "ward", "minutes");
        assertThat(named.json().path("rows").asLong()).isEqualTo(3);
        assertThat(content("sheets", named.json().path("version").asInt()))
                .isEqualTo("visit_id,ward,minutes\r\n1,A,30\r\n2,B,45\r\n3,A,15\r\n");

        Api.Response unknown = upload("sheets", workbook, "Visits 2025");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
        assertThat(unknown.code()).isEqualTo("dataset.invalid_xlsx");
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(versionCount("sheets")).as("nothing stored").isEqualTo(2);
    }

    @Test
    void formulasAreTheirCachedValuesAndAreNeverEvaluated() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        HttpServer listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        listener.start();
        try {
            String url = "http://127.0.0.1:" + listener.getAddress().getPort() + "/called-back";
            byte[] workbook = workbook(book -> {
                Sheet sheet = book.createSheet("data");
                fill(sheet, List.of(List.of("id", "sum", "link", "fetched")));
                for (int i = 1; i <= 3; i++) {
                    Row row = sheet.createRow(i);
                    row.createCell(0).setCellValue(i);
                    Cell sum = row.createCell(1);
                    sum.setCellFormula("2+2");
                    sum.setCellValue(100 + i);
                    Cell link = row.createCell(2);
                    link.setCellFormula("HYPERLINK(\"" + url + "\",\"evil\")");
                    link.setCellValue("cached link " + i);
                    Cell fetched = row.createCell(3);
                    fetched.setCellFormula("WEBSERVICE(\"" + url + "\")");
                    fetched.setCellValue("offline " + i);
                }
            });
            Api.Response response = upload("formulas", workbook, null);
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            Map<String, JsonNode> schema = schema(response.json());
            assertThat(schema.get("sum").path("type").asString()).isEqualTo("integer");
            assertThat(schema.get("sum").path("min").asDouble()).isEqualTo(101);
            assertThat(schema.get("sum").path("max").asDouble()).as("never the evaluated 4").isEqualTo(103);
            String content = content("formulas", 1);
            assertThat(content).contains("1,101,cached link 1,offline 1").contains("3,103,cached link 3,offline 3")
                    .doesNotContain("HYPERLINK").doesNotContain("WEBSERVICE").doesNotContain("2+2")
                    .doesNotContain("called-back");
            assertThat(calls.get()).as("nothing fetched the formula's URL").isZero();
        } finally {
            listener.stop(0);
        }
    }

    @Test
    void numbersDatesAndBooleansAreTypedInTheSchema() throws IOException {
        byte[] workbook = workbook(book -> {
            Sheet sheet = book.createSheet("typed");
            CellStyle isoDate = book.createCellStyle();
            isoDate.setDataFormat(book.createDataFormat().getFormat("yyyy-mm-dd"));
            CellStyle excelDate = book.createCellStyle();
            excelDate.setDataFormat((short) 14);
            CellStyle timestamp = book.createCellStyle();
            timestamp.setDataFormat(book.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
            CellStyle percent = book.createCellStyle();
            percent.setDataFormat((short) 10);
            CellStyle zeroPadded = book.createCellStyle();
            zeroPadded.setDataFormat(book.createDataFormat().getFormat("00000"));
            fill(sheet, List.of(List.of("count", "dose", "visit", "admitted", "seen_at", "readmitted", "share",
                    "record_number", "precise", "postcode")));
            for (int i = 1; i <= 20; i++) {
                Row row = sheet.createRow(i);
                row.createCell(0).setCellValue(i * 10);
                row.createCell(1).setCellValue(i + 0.25);
                Cell visit = row.createCell(2);
                visit.setCellValue(LocalDate.of(2024, 1, i));
                visit.setCellStyle(isoDate);
                Cell admitted = row.createCell(3);
                admitted.setCellValue(LocalDate.of(2023, 2, i));
                admitted.setCellStyle(excelDate);
                Cell seen = row.createCell(4);
                seen.setCellValue(LocalDateTime.of(2024, 3, i, 8, 30, 15));
                seen.setCellStyle(timestamp);
                row.createCell(5).setCellValue(i % 2 == 0);
                Cell share = row.createCell(6);
                share.setCellValue(i / 100.0);
                share.setCellStyle(percent);
                row.createCell(7).setCellValue(900_000_000_000L + i);
                row.createCell(8).setCellValue(Math.PI * i);
                Cell postcode = row.createCell(9);
                postcode.setCellValue(2100 + i);
                postcode.setCellStyle(zeroPadded);
            }
        });
        Api.Response response = upload("typed", workbook, null);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        Map<String, JsonNode> schema = schema(response.json());
        Map<String, String> types = new LinkedHashMap<>();
        schema.forEach((name, column) -> types.put(name, column.path("type").asString()));
        assertThat(types).containsEntry("count", "integer").containsEntry("dose", "decimal")
                .containsEntry("visit", "date").containsEntry("admitted", "date").containsEntry("seen_at", "timestamp")
                .containsEntry("readmitted", "boolean").containsEntry("share", "decimal")
                .containsEntry("record_number", "integer").containsEntry("precise", "decimal");
        assertThat(schema.get("count").path("max").asDouble()).isEqualTo(200);
        assertThat(schema.get("dose").path("mean").asDouble()).isEqualTo(10.75);
        assertThat(schema.get("record_number").path("max").asDouble()).isEqualTo(900_000_000_020d);
        String[] lines = content("typed", 1).split("\r?\n");
        assertThat(lines[1].split(",")).as("values, not their display text").containsExactly("10", "1.25", "2024-01-01",
                "2023-02-01", "2024-03-01 08:30:15", "FALSE", "0.01", "900000000001", Double.toString(Math.PI), "02101");
    }

    @Test
    void aWorkbookOverTheSizeLimitIsRefusedAndStoresNothing() throws IOException {
        byte[] workbook = largeWorkbook(9L << 20);
        assertThat(workbook.length).isGreaterThan(8 << 20).isLessThan(10 << 20);
        Api.Response response = upload("large", workbook, null);
        assertThat(response.status()).as(response.toString()).isEqualTo(413);
        assertThat(response.code()).isEqualTo("dataset.too_large");
        assertThat(response.json().path("detail").asString()).contains("CSV");
        assertThat(versionCount("large")).isZero();
        assertThat(upload("large", workbook(book -> fill(book.createSheet("s"), List.of(List.of("a"), List.of(1)))), null)
                .status()).as("the connection and the dataset are still usable").isEqualTo(201);
    }

    static Stream<Arguments> notWorkbooks() throws IOException {
        byte[] random = new byte[4096];
        new SecureRandom().nextBytes(random);
        byte[] valid = workbook(book -> fill(book.createSheet("s"), List.of(List.of("a", "b"), List.of(1, 2))));
        ByteArrayOutputStream xls = new ByteArrayOutputStream();
        try (HSSFWorkbook old = new HSSFWorkbook()) {
            fill(old.createSheet("s"), List.of(List.of("a", "b"), List.of(1, 2)));
            old.write(xls);
        }
        return Stream.of(
                Arguments.of("random bytes", random),
                Arguments.of("random bytes behind a zip signature", concat("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1), random)),
                Arguments.of("empty body", new byte[0]),
                Arguments.of("a CSV", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("a zip without a workbook", zip(Map.of("readme.txt", "hello".getBytes(StandardCharsets.UTF_8)))),
                Arguments.of("a workbook without its sheets", rewrite(valid, (name, bytes) ->
                        name.startsWith("xl/worksheets/") ? null : bytes)),
                Arguments.of("a workbook whose sheet is not XML", rewrite(valid, (name, bytes) ->
                        name.startsWith("xl/worksheets/") ? "<worksheet><sheetData><row".getBytes(StandardCharsets.UTF_8) : bytes)),
                Arguments.of("a truncated workbook", java.util.Arrays.copyOf(valid, valid.length / 2)),
                Arguments.of("an .xls (OLE2) workbook", xls.toByteArray()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notWorkbooks")
    void anythingButAWorkbookIsAClearProblemAndStoresNothing(String name, byte[] body) {
        Api.Response response = upload("not-a-workbook", body, null);
        assertThat(response.status()).as(response.toString()).isBetween(400, 499);
        assertThat(response.code()).isIn("dataset.invalid_xlsx", "dataset.empty");
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("org.apache");
        assertThat(versionCount("not-a-workbook")).isZero();
    }

    @Test
    void aZipBombIsRefusedAndStoresNothing() throws IOException {
        String head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c></row>";
        String filler = "<!--" + "0".repeat(1 << 20) + "-->";
        byte[] valid = workbook(book -> fill(book.createSheet("s"), List.of(List.of("a"), List.of(1))));
        byte[] bomb = rewrite(valid, (entry, bytes) -> {
            if (!entry.startsWith("xl/worksheets/")) {
                return bytes;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 200; i++) {
                out.writeBytes(filler.getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("</sheetData></worksheet>".getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        });
        assertThat(bomb.length).as("200 MiB of sheet in well under the 8 MB limit").isLessThan(1 << 20);
        Api.Response response = upload("bomb", bomb, null);
        assertThat(response.status()).as(response.toString()).isIn(400, 413);
        assertThat(response.code()).isIn("dataset.invalid_xlsx", "dataset.too_large");
        assertThat(versionCount("bomb")).isZero();
    }

    static Stream<Arguments> externalEntities() {
        return Stream.of(
                Arguments.of("a sheet", "xl/worksheets/sheet1.xml", "general entity"),
                Arguments.of("the shared strings", "xl/sharedStrings.xml", "general entity"),
                Arguments.of("a sheet", "xl/worksheets/sheet1.xml", "external DTD"),
                Arguments.of("the shared strings", "xl/sharedStrings.xml", "parameter entity"),
                Arguments.of("the workbook", "xl/workbook.xml", "general entity"),
                Arguments.of("the content types", "[Content_Types].xml", "general entity"),
                Arguments.of("a sheet", "xl/worksheets/sheet1.xml", "billion laughs"));
    }

    @ParameterizedTest(name = "{2} in {0}")
    @MethodSource("externalEntities")
    void externalEntitiesAreNeverResolved(String where, String part, String attack) throws IOException {
        String marker = "XXE-MARKER-" + UUID.randomUUID();
        Path secret = Files.writeString(files.resolve(UUID.randomUUID() + ".txt"), marker);
        Path dtd = Files.writeString(files.resolve(UUID.randomUUID() + ".dtd"),
                "<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">");
        String doctype = switch (attack) {
            case "general entity" -> "<!DOCTYPE root [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>";
            case "external DTD" -> "<!DOCTYPE root SYSTEM \"" + dtd.toUri() + "\">";
            case "parameter entity" -> "<!DOCTYPE root [<!ENTITY % ext SYSTEM \"" + dtd.toUri() + "\"> %ext;]>";
            default -> "<!DOCTYPE root [<!ENTITY a \"" + "laugh".repeat(10) + "\">"
                    + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                    + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                    + "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
                    + "<!ENTITY xxe \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]>";
        };
        byte[] valid = workbook(book -> fill(book.createSheet("s"),
                List.of(List.of("id", "note"), List.of(1, "placeholder"), List.of(2, "placeholder"))));
        byte[] hostile = rewrite(valid, (entry, bytes) -> {
            if (!entry.equals(part)) {
                return bytes;
            }
            String xml = new String(bytes, StandardCharsets.UTF_8);
            if (part.startsWith("xl/worksheets/")) {
                xml = xml.replaceFirst("<c r=\"B2\" t=\"s\"><v>\\d+</v></c>",
                        "<c r=\"B2\" t=\"inlineStr\"><is><t>&xxe;</t></is></c>");
            } else {
                xml = xml.replace("placeholder", "&xxe;");
            }
            return withDoctype(xml, doctype).getBytes(StandardCharsets.UTF_8);
        });
        Api.Response response = upload("xxe", hostile, null);
        assertThat(response.status()).as(response.toString()).isIn(201, 400);
        assertThat(response.body()).doesNotContain(marker).doesNotContain("laughlaugh");
        if (response.status() == 201) {
            assertThat(content("xxe", response.json().path("version").asInt())).doesNotContain(marker)
                    .doesNotContain("laughlaugh");
        } else {
            assertThat(response.code()).isEqualTo("dataset.invalid_xlsx");
            assertThat(versionCount("xxe")).isZero();
        }
    }

    @Test
    void aMacroPartIsNeverRun() throws IOException {
        Path ran = files.resolve("macro-ran-" + UUID.randomUUID());
        byte[] valid = workbook(book -> fill(book.createSheet("s"), List.of(List.of("id", "value"), List.of(1, 2))));
        byte[] withMacro = rewrite(valid, (entry, bytes) -> entry.equals("[Content_Types].xml")
                ? new String(bytes, StandardCharsets.UTF_8).replace("</Types>",
                        "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/></Types>")
                        .getBytes(StandardCharsets.UTF_8)
                : bytes);
        withMacro = addEntry(withMacro, "xl/vbaProject.bin",
                ("Attribute VB_Name = \"ThisWorkbook\"\nSub Workbook_Open()\n Shell \"touch " + ran + "\"\nEnd Sub\n")
                        .getBytes(StandardCharsets.UTF_8));
        Api.Response response = upload("macro", withMacro, null);
        assertThat(response.status()).as(response.toString()).isIn(201, 400);
        if (response.status() == 201) {
            assertThat(content("macro", 1)).isEqualTo("id,value\r\n1,2\r\n");
        }
        assertThat(ran).doesNotExist();
    }

    @Test
    void anotherTenantsMemberGets404() throws IOException {
        byte[] workbook = patientWorkbook(10);
        assertThat(upload("patients", workbook, null).status()).isEqualTo(201);
        String outsider = fx.token(fx.member(fx.createTenant("elsewhere"), "data-scientist"));
        String dataset = "/api/v1/tenants/" + tenant + "/datasets/patients";
        assertThat(api.get(dataset, outsider).status()).isEqualTo(404);
        assertThat(api.get(dataset + "/versions", outsider).status()).isEqualTo(404);
        assertThat(api.get(dataset + "/versions/1", outsider).status()).isEqualTo(404);
        assertThat(api.get(dataset + "/versions/1/content", outsider).status()).isEqualTo(404);
        Api.Response upload = api.send(api.request(dataset + "/versions", outsider).header("Content-Type", XLSX)
                .POST(HttpRequest.BodyPublishers.ofByteArray(workbook)));
        assertThat(upload.status()).isEqualTo(404);
        assertThat(versionCount("patients")).isEqualTo(1);
    }

    // --- workbooks ---

    /** PatientData as a workbook: ids and ages as numbers, everything else as text. */
    private static byte[] patientWorkbook(int rows) throws IOException {
        return workbook(book -> {
            Sheet sheet = book.createSheet("Patients");
            fill(sheet, List.of(List.of((Object[]) PatientData.HEADER.split(","))));
            int r = 1;
            for (List<String> values : PatientData.rows(rows)) {
                Row row = sheet.createRow(r++);
                for (int c = 0; c < values.size(); c++) {
                    String value = values.get(c);
                    boolean number = c == 0 || c == 6;
                    if (number) {
                        row.createCell(c).setCellValue(Integer.parseInt(value));
                    } else {
                        row.createCell(c).setCellValue(value);
                    }
                }
            }
        });
    }

    private interface BookBuilder {
        void build(Workbook book) throws IOException;
    }

    private static byte[] workbook(BookBuilder builder) throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook()) {
            builder.build(book);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            book.write(out);
            return out.toByteArray();
        }
    }

    private static void fill(Sheet sheet, List<? extends List<?>> rows) {
        for (int r = 0; r < rows.size(); r++) {
            Row row = sheet.createRow(r);
            List<?> values = rows.get(r);
            for (int c = 0; c < values.size(); c++) {
                switch (values.get(c)) {
                    case Number n -> row.createCell(c).setCellValue(n.doubleValue());
                    case Boolean b -> row.createCell(c).setCellValue(b);
                    default -> row.createCell(c).setCellValue(values.get(c).toString());
                }
            }
        }
    }

    /** A workbook of random (incompressible) text of about {@code bytes} once zipped, written as it goes. */
    private static byte[] largeWorkbook(long bytes) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] cell = new byte[48];
        try (SXSSFWorkbook book = new SXSSFWorkbook(100)) {
            Sheet sheet = book.createSheet("big");
            long rows = bytes / (4 * 56);
            for (int r = 0; r < rows; r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < 4; c++) {
                    random.nextBytes(cell);
                    row.createCell(c).setCellValue(Base64.getEncoder().encodeToString(cell));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            book.write(out);
            book.dispose();
            return out.toByteArray();
        }
    }

    private interface EntryRewrite {
        /** The new bytes of {@code name}, or null to leave the entry out. */
        byte[] apply(String name, byte[] bytes);
    }

    private static byte[] rewrite(byte[] zip, EntryRewrite rewrite) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] replaced = rewrite.apply(entry.getName(), in.readAllBytes());
                if (replaced != null) {
                    entries.put(entry.getName(), replaced);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip(entries);
    }

    private static byte[] addEntry(byte[] zip, String name, byte[] bytes) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        rewrite(zip, (entry, content) -> {
            entries.put(entry, content);
            return content;
        });
        entries.put(name, bytes);
        return zip(entries);
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String withDoctype(String xml, String doctype) {
        if (xml.startsWith("<?xml")) {
            int end = xml.indexOf("?>") + 2;
            return xml.substring(0, end) + doctype + xml.substring(end);
        }
        return doctype + xml;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // --- API ---

    private Api.Response upload(String dataset, byte[] workbook, String sheet) {
        String path = versions(dataset) + (sheet == null ? "" : "?sheet=" + URLEncoder.encode(sheet, StandardCharsets.UTF_8)
                .replace("+", "%20"));
        return api.send(api.request(path, fx.token(scientist)).header("Content-Type", XLSX)
                .POST(HttpRequest.BodyPublishers.ofByteArray(workbook)));
    }

    private String versions(String dataset) {
        return "/api/v1/tenants/" + tenant + "/datasets/" + dataset + "/versions";
    }

    private String content(String dataset, int version) {
        Api.Response response = api.get(versions(dataset) + "/" + version + "/content", fx.token(scientist));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }

    private int versionCount(String dataset) {
        Api.Response response = api.get(versions(dataset), fx.token(scientist));
        return response.status() == 404 ? 0 : response.json().size();
    }

    private static List<String> columnNames(JsonNode version) {
        List<String> names = new java.util.ArrayList<>();
        version.path("schema").forEach(c -> names.add(c.path("name").asString()));
        return names;
    }

    private static Map<String, JsonNode> schema(JsonNode version) {
        Map<String, JsonNode> schema = new LinkedHashMap<>();
        version.path("schema").forEach(c -> schema.put(c.path("name").asString(), c));
        return schema;
    }
}
