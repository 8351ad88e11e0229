package dev.citadel.auditverifier;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The export file of one tenant's audit trail ({@value #FORMAT}): JSON Lines in UTF-8, one object
 * per line, in this order — a {@code header} (tenant, export time, and the signing public keys for
 * information), the trail's {@code checkpoint}s by ascending size, the chain {@code head} when
 * exported, the {@code entry} lines in sequence order, and an {@code end} line with the number of
 * entries. The {@code *Line} methods write one line each, without its newline; {@link #verify}
 * reads a whole file.
 *
 * <p>Security guarantees: {@link #verify} checks the file as {@link ChainVerifier} documents, with
 * keys and trusted checkpoints from the caller only — the keys in the header are never used, so a
 * file cannot vouch for itself. It is strict: a line of unknown type, out of order or repeated, a
 * missing or unknown field, a value of the wrong JSON type, a hash that is not canonical base64 of
 * 32 bytes, an entry version other than {@value CanonicalEntry#VERSION}, a line over
 * {@value #MAX_LINE_BYTES} bytes, or a missing or wrong {@code end} line makes the report invalid;
 * bad input never throws. An entry is read back into exactly the {@link CanonicalEntry} that was
 * written, so its recomputed chain hash is the writer's. Memory is constant in the number of
 * entries (the checkpoints are held).
 */
public final class AuditExport {

    /** The {@code format} of the header line; a new format gets a new name. */
    public static final String FORMAT = "citadel-audit-export/v1";

    /** The longest line read, in UTF-8 bytes without the newline. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final String[] HEADER_FIELDS = {"type", "format", "tenant", "exportedAt", "keys"};
    private static final String[] KEY_FIELDS = {"keyId", "publicKey"};
    private static final String[] CHECKPOINT_FIELDS = {"type", "tenant", "size", "root", "chainHead", "time",
            "keyId", "signature"};
    private static final String[] HEAD_FIELDS = {"type", "seq", "hash"};
    private static final String[] ENTRY_FIELDS = {"type", "v", "tenant", "seq", "eventId", "time", "actor",
            "action", "targetType", "targetId", "outcome", "requestId", "source", "details", "prevHash", "hash"};
    private static final String[] END_FIELDS = {"type", "entries"};
    private static final int SIGNATURE_LENGTH = 64;
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final int QUOTED_LENGTH = 64;

    private AuditExport() {}

    /**
     * The header line.
     *
     * @param exportedAt   ISO-8601 UTC, e.g. {@code 2026-11-23T10:15:30.123Z}
     * @param spkiByKeyId  the audit signing public keys (SubjectPublicKeyInfo DER) by key id, written
     *                     as PEM for information
     * @throws IllegalArgumentException if a key id is not {@link AuditKeys#keyId} of its key
     */
    public static String headerLine(String tenant, String exportedAt, Map<String, byte[]> spkiByKeyId) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "header");
        line.put("format", FORMAT);
        line.put("tenant", Objects.requireNonNull(tenant, "tenant"));
        line.put("exportedAt", Objects.requireNonNull(exportedAt, "exportedAt"));
        ArrayNode keys = line.putArray("keys");
        new TreeMap<>(spkiByKeyId).forEach((keyId, spki) -> {
            if (!AuditKeys.keyId(spki).equals(keyId)) {
                throw new IllegalArgumentException("key id " + keyId + " does not name its key");
            }
            ObjectNode key = keys.addObject();
            key.put("keyId", keyId);
            key.put("publicKey", AuditKeys.toPem(spki));
        });
        return JSON.writeValueAsString(line);
    }

    /** A checkpoint line. */
    public static String checkpointLine(SignedCheckpoint checkpoint) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "checkpoint");
        line.put("tenant", checkpoint.tenant());
        line.put("size", checkpoint.size());
        line.put("root", base64(checkpoint.root(), "root"));
        line.put("chainHead", base64(checkpoint.chainHead(), "chain head"));
        line.put("time", checkpoint.time());
        line.put("keyId", checkpoint.keyId());
        line.put("signature", Base64.getEncoder().encodeToString(checkpoint.signature()));
        return JSON.writeValueAsString(line);
    }

    /** The head line: the chain's last sequence number and hash when exported (0 and 32 zero bytes if empty). */
    public static String headLine(long seq, byte[] hash) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "head");
        line.put("seq", seq);
        line.put("hash", base64(hash, "head hash"));
        return JSON.writeValueAsString(line);
    }

    /**
     * An entry line: the entry's canonical fields and the previous hash and hash stored with it.
     *
     * @throws IllegalArgumentException if a hash is not 32 bytes or a detail value is null
     */
    public static String entryLine(CanonicalEntry entry, byte[] prevHash, byte[] hash) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "entry");
        line.put("v", CanonicalEntry.VERSION);
        line.put("tenant", entry.tenant());
        line.put("seq", entry.seq());
        line.put("eventId", entry.eventId());
        line.put("time", entry.time());
        line.put("actor", entry.actor());
        line.put("action", entry.action());
        line.put("targetType", entry.targetType());
        line.put("targetId", entry.targetId());
        line.put("outcome", entry.outcome());
        line.put("requestId", entry.requestId());
        line.put("source", entry.source());
        ObjectNode details = line.putObject("details");
        entry.details().forEach((key, value) -> {
            if (value == null) {
                throw new IllegalArgumentException("detail " + key + " has no value");
            }
            details.put(key, value);
        });
        line.put("prevHash", base64(prevHash, "previous hash"));
        line.put("hash", base64(hash, "hash"));
        return JSON.writeValueAsString(line);
    }

    /** The end line: how many entry lines precede it. */
    public static String endLine(long entries) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "end");
        line.put("entries", entries);
        return JSON.writeValueAsString(line);
    }

    /**
     * Reads a checkpoint line, as in an export or a file of trusted checkpoints (it may span lines
     * there). Reads only: whether it is signed and by whom is for {@link ChainVerifier} to check.
     *
     * @throws IllegalArgumentException if it is not a well-formed checkpoint line
     */
    public static SignedCheckpoint parseCheckpoint(String jsonLine) {
        return checkpoint(Fields.parse(jsonLine, "checkpoint"));
    }

    /**
     * Verifies an export as it is read, with the given keys and trusted checkpoints only.
     *
     * @param in      the export, UTF-8 decoded; read to its end or to the first malformed line, not
     *                closed
     * @param keys    the audit signing public keys by key id, from a trusted source
     * @param trusted checkpoints kept outside the trail (a witness copy, an earlier export); may be
     *                empty
     * @return the report; invalid, with the problem and the line, for a malformed or incomplete file
     */
    public static ChainVerifier.Report verify(Reader in, Map<String, PublicKey> keys, List<SignedCheckpoint> trusted) {
        return new ExportReader(keys, trusted).read(new Lines(in));
    }

    /** A value from the file as a problem shows it: quoted, short, with no control characters. */
    static String quoted(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        value.codePoints().limit(QUOTED_LENGTH).forEach(c -> {
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append(value.codePointCount(0, value.length()) > QUOTED_LENGTH ? "…\"" : "\"").toString();
    }

    private static String base64(byte[] hash, String what) {
        MerkleTree.requireHash(hash, what);
        return Base64.getEncoder().encodeToString(hash);
    }

    private static SignedCheckpoint checkpoint(Fields line) {
        line.only(CHECKPOINT_FIELDS);
        long size = line.integer("size");
        if (size < 1) {
            throw new IllegalArgumentException("\"size\" must be at least 1");
        }
        byte[] signature = line.base64("signature");
        if (signature.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("\"signature\" is not an Ed25519 signature (64 bytes)");
        }
        String keyId = line.text("keyId");
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("\"keyId\" is not a key id (16 lower-case hex digits)");
        }
        return new SignedCheckpoint(line.text("tenant"), size, line.hash("root"), line.hash("chainHead"),
                line.text("time"), keyId, signature);
    }

    /** An entry line read back: the canonical entry and the hashes stored with it. */
    record EntryLine(CanonicalEntry entry, byte[] prevHash, byte[] hash) {}

    /**
     * Reads an entry line.
     *
     * @throws IllegalArgumentException if it is not a well-formed entry line
     */
    static EntryLine parseEntry(String jsonLine) {
        return entry(Fields.parse(jsonLine, "entry"));
    }

    private static EntryLine entry(Fields line) {
        line.only(ENTRY_FIELDS);
        long version = line.integer("v");
        if (version != CanonicalEntry.VERSION) {
            throw new IllegalArgumentException("entry format version " + version + " (expected "
                    + CanonicalEntry.VERSION + ")");
        }
        CanonicalEntry entry = new CanonicalEntry(line.nullableText("tenant"), line.integer("seq"),
                line.nullableText("eventId"), line.nullableText("time"), line.nullableText("actor"),
                line.nullableText("action"), line.nullableText("targetType"), line.nullableText("targetId"),
                line.nullableText("outcome"), line.nullableText("requestId"), line.nullableText("source"),
                line.details("details"));
        return new EntryLine(entry, line.hash("prevHash"), line.hash("hash"));
    }

    /** One export read from start to end: the order of its lines, then the chain. */
    private static final class ExportReader {

        private enum Stage { HEADER, CHECKPOINTS, ENTRIES, ENDED }

        private final Map<String, PublicKey> keys;
        private final List<SignedCheckpoint> trusted;
        private final List<SignedCheckpoint> checkpoints = new ArrayList<>();
        private Stage stage = Stage.HEADER;
        private String tenant;
        private long headSeq;
        private byte[] headHash;
        private ChainVerifier verifier;
        private long entries;

        ExportReader(Map<String, PublicKey> keys, List<SignedCheckpoint> trusted) {
            this.keys = Map.copyOf(keys);
            this.trusted = List.copyOf(trusted);
        }

        ChainVerifier.Report read(Lines lines) {
            long number = 1; // the line being read
            try {
                for (String line = lines.next(); line != null; line = lines.next()) {
                    accept(Fields.parse(line, null));
                    number++;
                }
            } catch (IllegalArgumentException e) {
                return malformed("line " + number + ": " + e.getMessage());
            } catch (CharacterCodingException e) {
                return malformed("the export is not UTF-8 (at or after line " + number + ")");
            } catch (IOException | UncheckedIOException e) {
                return malformed("line " + number + " could not be read: " + e.getMessage());
            } catch (RuntimeException e) {
                // Fail closed: whatever the input did, it does not verify.
                return malformed("line " + number + " could not be checked: " + e);
            }
            if (stage != Stage.ENDED) {
                return malformed("the export ends after line " + (number - 1) + " without an end line"
                        + " (it is incomplete)");
            }
            return verifier.finish(headSeq, headHash);
        }

        private void accept(Fields line) {
            String type = line.text("type");
            if (stage == Stage.ENDED) {
                throw new IllegalArgumentException("a line after the end line");
            }
            if (stage == Stage.HEADER && !type.equals("header")) {
                throw new IllegalArgumentException("the export does not start with a header line");
            }
            switch (type) {
                case "header" -> header(line);
                case "checkpoint" -> checkpoint(line);
                case "head" -> head(line);
                case "entry" -> entry(line);
                case "end" -> end(line);
                default -> throw new IllegalArgumentException("unknown line type " + quoted(type));
            }
        }

        private void header(Fields line) {
            if (stage != Stage.HEADER) {
                throw new IllegalArgumentException("a second header line");
            }
            line.only(HEADER_FIELDS);
            String format = line.text("format");
            if (!FORMAT.equals(format)) {
                throw new IllegalArgumentException("unsupported format " + quoted(format) + " (expected " + FORMAT + ")");
            }
            tenant = line.text("tenant");
            String exportedAt = line.text("exportedAt");
            try {
                Instant.parse(exportedAt);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"exportedAt\" is not an ISO-8601 UTC time");
            }
            // Informational only: checked for shape, never used to verify.
            for (Fields key : line.objects("keys")) {
                key.only(KEY_FIELDS);
                key.text("keyId");
                key.text("publicKey");
            }
            stage = Stage.CHECKPOINTS;
        }

        private void checkpoint(Fields line) {
            if (stage != Stage.CHECKPOINTS) {
                throw new IllegalArgumentException("a checkpoint line after the head line");
            }
            SignedCheckpoint checkpoint = AuditExport.checkpoint(line);
            if (!checkpoints.isEmpty() && checkpoint.size() <= checkpoints.getLast().size()) {
                throw new IllegalArgumentException("checkpoint sizes do not ascend (" + checkpoint.size()
                        + " after " + checkpoints.getLast().size() + ")");
            }
            checkpoints.add(checkpoint);
        }

        private void head(Fields line) {
            if (stage != Stage.CHECKPOINTS) {
                throw new IllegalArgumentException("a second head line");
            }
            line.only(HEAD_FIELDS);
            headSeq = line.integer("seq");
            if (headSeq < 0) {
                throw new IllegalArgumentException("\"seq\" is negative");
            }
            headHash = line.hash("hash");
            verifier = new ChainVerifier(tenant, keys, checkpoints, trusted);
            stage = Stage.ENTRIES;
        }

        private void entry(Fields line) {
            if (stage != Stage.ENTRIES) {
                throw new IllegalArgumentException("an entry line before the head line");
            }
            EntryLine entry = AuditExport.entry(line);
            entries++;
            verifier.accept(entry.entry(), entry.prevHash(), entry.hash());
        }

        private void end(Fields line) {
            if (stage != Stage.ENTRIES) {
                throw new IllegalArgumentException("an end line before the head line");
            }
            line.only(END_FIELDS);
            long count = line.integer("entries");
            if (count != entries) {
                throw new IllegalArgumentException("the end line says " + count + " entries but the export has "
                        + entries + " (it is incomplete)");
            }
            stage = Stage.ENDED;
        }

        /** Reported at the entry being read, or entry 1 before any. */
        private ChainVerifier.Report malformed(String problem) {
            if (verifier != null) {
                return verifier.abort(problem);
            }
            return new ChainVerifier.Report(false, 0, null, null, 1L, problem);
        }
    }

    /** A JSON object read from one line, with typed, strict access to its fields. */
    private record Fields(JsonNode node) {

        /** @param type the required {@code type}, or null for any */
        static Fields parse(String json, String type) {
            JsonNode node;
            try {
                node = JSON.readTree(json);
            } catch (JacksonException e) {
                throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Fields fields = new Fields(node);
            if (type != null && !type.equals(fields.text("type"))) {
                throw new IllegalArgumentException("not a " + type + " line");
            }
            return fields;
        }

        /** Requires exactly these fields: each present, no other. */
        void only(String... names) {
            for (String name : names) {
                required(name);
            }
            if (node.size() != names.length) {
                List<String> known = List.of(names);
                String unknown = node.propertyNames().stream().filter(n -> !known.contains(n)).findFirst()
                        .orElse("?");
                throw new IllegalArgumentException("unknown field " + quoted(unknown));
            }
        }

        String text(String name) {
            JsonNode value = required(name);
            if (!value.isString()) {
                throw new IllegalArgumentException("\"" + name + "\" is not a string");
            }
            return unicode(value.stringValue(), name);
        }

        String nullableText(String name) {
            return required(name).isNull() ? null : text(name);
        }

        long integer(String name) {
            JsonNode value = required(name);
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw new IllegalArgumentException("\"" + name + "\" is not a whole number");
            }
            return value.longValue();
        }

        byte[] base64(String name) {
            String text = text(name);
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"" + name + "\" is not base64");
            }
            if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
                throw new IllegalArgumentException("\"" + name + "\" is not canonical base64");
            }
            return bytes;
        }

        byte[] hash(String name) {
            byte[] hash = base64(name);
            if (hash.length != MerkleTree.HASH_LENGTH) {
                throw new IllegalArgumentException("\"" + name + "\" is not a 32-byte hash");
            }
            return hash;
        }

        TreeMap<String, String> details(String name) {
            JsonNode value = required(name);
            if (!value.isObject()) {
                throw new IllegalArgumentException("\"" + name + "\" is not an object");
            }
            TreeMap<String, String> details = new TreeMap<>();
            for (Map.Entry<String, JsonNode> detail : value.properties()) {
                if (!detail.getValue().isString()) {
                    throw new IllegalArgumentException("detail " + quoted(detail.getKey()) + " is not a string");
                }
                details.put(unicode(detail.getKey(), "details"), unicode(detail.getValue().stringValue(), "details"));
            }
            return details;
        }

        List<Fields> objects(String name) {
            JsonNode value = required(name);
            if (!value.isArray()) {
                throw new IllegalArgumentException("\"" + name + "\" is not an array");
            }
            List<Fields> objects = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isObject()) {
                    throw new IllegalArgumentException("an element of \"" + name + "\" is not an object");
                }
                objects.add(new Fields(element));
            }
            return objects;
        }

        /** JSON can escape half a surrogate pair; such a string has no UTF-8 form to hash. */
        private static String unicode(String text, String name) {
            if (!StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
                throw new IllegalArgumentException("\"" + name + "\" is not valid Unicode");
            }
            return text;
        }

        private JsonNode required(String name) {
            JsonNode value = node.get(name);
            if (value == null) {
                throw new IllegalArgumentException("missing field \"" + name + "\"");
            }
            return value;
        }
    }

    /**
     * Lines of at most {@link #MAX_LINE_BYTES} UTF-8 bytes, split at {@code \n} only (JSON escapes
     * every other line break inside a string); the last line needs no newline.
     */
    private static final class Lines {

        private final Reader in;
        private final char[] buffer = new char[8192];
        private int position;
        private int limit;

        Lines(Reader in) {
            this.in = in;
        }

        /** The next line, or null at the end of the input. */
        String next() throws IOException {
            StringBuilder line = new StringBuilder();
            long bytes = 0;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    if (limit < 0) {
                        limit = 0;
                        return line.isEmpty() ? null : line.toString();
                    }
                }
                char c = buffer[position++];
                if (c == '\n') {
                    return line.toString();
                }
                bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
                if (bytes > MAX_LINE_BYTES) {
                    throw new IllegalArgumentException("the line is longer than " + MAX_LINE_BYTES + " bytes");
                }
                line.append(c);
            }
        }
    }
}
