package dev.citadel.auditverifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transparency-dev/merkle test vectors in the shared folder ({@code shared/vectors/merkle-rfc6962},
 * README there), read as plain records. Missing or null fields read as null hashes (which every
 * verifier must reject) and a null proof as an empty one, as the Go test that wrote them does.
 */
final class Vectors {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Vectors() {
    }

    /** An inclusion probe: {@code leafIdx, treeSize, root, leafHash, proof, desc, wantErr}. */
    record Inclusion(String path, long leafIdx, long treeSize, byte[] root, byte[] leafHash,
                     List<byte[]> proof, String desc, boolean wantErr) {
    }

    /** A consistency probe: {@code size1, size2, root1, root2, proof, desc, wantErr}. */
    record Consistency(String path, long size1, long size2, byte[] root1, byte[] root2,
                       List<byte[]> proof, String desc, boolean wantErr) {
    }

    /**
     * The vectors folder, found from the module directory (Surefire's working directory): the
     * project's {@code ../shared} first, then {@code ../shared} of the module. Fails the calling
     * test if neither exists, so a missing folder can never look like a pass.
     */
    static Path root() {
        List<Path> candidates = List.of(
                Path.of("..", "..", "shared", "vectors", "merkle-rfc6962"),
                Path.of("..", "shared", "vectors", "merkle-rfc6962"));
        return candidates.stream()
                .filter(Files::isDirectory)
                .findFirst()
                .map(Path::normalize)
                .orElseThrow(() -> new AssertionError(
                        "Merkle test vectors not found; looked in " + candidates.stream()
                                .map(p -> p.toAbsolutePath().normalize().toString()).toList()));
    }

    /** Every {@code *.json} under {@code kind/} ("inclusion" or "consistency"), sorted; never empty. */
    static List<Path> files(String kind) {
        Path dir = root().resolve(kind);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir.toAbsolutePath(), e);
        }
        assertThat(files).as("vector files under %s", dir.toAbsolutePath()).isNotEmpty();
        return files;
    }

    /** The file's path relative to the vectors folder, with forward slashes (the test's name). */
    static String name(Path file) {
        return root().relativize(file).toString().replace('\\', '/');
    }

    static Inclusion inclusion(Path file) {
        JsonNode json = read(file);
        return new Inclusion(name(file), size(json, "leafIdx"), size(json, "treeSize"),
                hash(json, "root"), hash(json, "leafHash"), proof(json), text(json, "desc"),
                wantErr(json));
    }

    static Consistency consistency(Path file) {
        JsonNode json = read(file);
        return new Consistency(name(file), size(json, "size1"), size(json, "size2"),
                hash(json, "root1"), hash(json, "root2"), proof(json), text(json, "desc"),
                wantErr(json));
    }

    static List<Inclusion> inclusions() {
        return files("inclusion").stream().map(Vectors::inclusion).toList();
    }

    static List<Consistency> consistencies() {
        return files("consistency").stream().map(Vectors::consistency).toList();
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    /**
     * Sizes and indices are Go {@code uint64}s; a probe made by subtracting one from 0 holds
     * 2^64 - 1. Its low 64 bits as a Java long are the same bits (here -1), which the verifier
     * must reject as it rejects every negative size or index.
     */
    private static long size(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || !node.isIntegralNumber()) {
            throw new AssertionError("vector field " + field + " is not an integer: " + node);
        }
        BigInteger value = node.bigIntegerValue();
        if (value.signum() < 0 || value.bitLength() > 64) {
            throw new AssertionError("vector field " + field + " is not a uint64: " + value);
        }
        return value.longValue();
    }

    private static byte[] hash(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : Base64.getDecoder().decode(node.stringValue());
    }

    private static List<byte[]> proof(JsonNode json) {
        JsonNode node = json.get("proof");
        List<byte[]> proof = new ArrayList<>();
        if (node != null && !node.isNull()) {
            for (JsonNode element : node) {
                proof.add(element.isNull() ? null : Base64.getDecoder().decode(element.stringValue()));
            }
        }
        return proof;
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? "" : node.stringValue();
    }

    private static boolean wantErr(JsonNode json) {
        JsonNode node = json.get("wantErr");
        if (node == null || !node.isBoolean()) {
            throw new AssertionError("vector has no boolean wantErr: " + json);
        }
        return node.booleanValue();
    }
}
