package dev.citadel.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the instances to score: JSON ({@code {"instances":[…]}}, an array of objects, or one
 * object) or CSV with a header (RFC 4180; numbers become numbers, {@code true}/{@code false}
 * booleans, an empty cell null, anything else text).
 */
final class PredictionInput {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final int MAX_INSTANCES = 100_000;

    enum Kind { JSON, CSV }

    private PredictionInput() {}

    static Kind detect(String text) {
        String start = text.stripLeading();
        return start.startsWith("{") || start.startsWith("[") ? Kind.JSON : Kind.CSV;
    }

    static ArrayNode instances(String text, Kind kind) {
        return kind == Kind.JSON ? fromJson(text) : fromCsv(text);
    }

    private static ArrayNode fromJson(String text) {
        JsonNode json;
        try {
            json = Json.parse(text);
        } catch (JacksonException e) {
            throw CliException.usage("the input is not valid JSON: " + Text.clean(e.getOriginalMessage()));
        }
        if (json.isObject() && json.path("instances").isArray()) {
            json = json.path("instances");
        }
        ArrayNode instances = Json.MAPPER.createArrayNode();
        if (json.isObject()) {
            instances.add(json);
        } else if (json.isArray()) {
            for (JsonNode item : json) {
                if (!item.isObject()) {
                    throw CliException.usage("every instance must be a JSON object of feature values");
                }
                instances.add(item);
            }
        } else {
            throw CliException.usage("the input must be {\"instances\":[…]}, an array of objects, or one object");
        }
        return instances;
    }

    private static ArrayNode fromCsv(String text) {
        List<List<String>> rows = parseCsv(text);
        if (rows.isEmpty()) {
            throw CliException.usage("the CSV input has no header");
        }
        List<String> header = rows.get(0);
        ArrayNode instances = Json.MAPPER.createArrayNode();
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue;
            }
            if (row.size() != header.size()) {
                throw CliException.usage("CSV line " + (i + 1) + " has " + row.size() + " fields; the header has " + header.size());
            }
            ObjectNode instance = instances.addObject();
            for (int c = 0; c < header.size(); c++) {
                put(instance, header.get(c).strip(), row.get(c));
            }
        }
        return instances;
    }

    private static void put(ObjectNode instance, String field, String value) {
        if (value.isEmpty()) {
            instance.putNull(field);
        } else if (NUMBER.matcher(value).matches()) {
            instance.put(field, new BigDecimal(value));
        } else if (value.equals("true") || value.equals("false")) {
            instance.put(field, Boolean.parseBoolean(value));
        } else {
            instance.put(field, value);
        }
    }

    /** RFC 4180: comma-separated, optional double quotes with {@code ""} inside, CRLF or LF. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                if (rows.size() > MAX_INSTANCES) {
                    throw CliException.usage("more than " + MAX_INSTANCES + " rows: use batch predictions");
                }
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw CliException.usage("the CSV input ends inside a quoted field");
        }
        if (!field.isEmpty() || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
