package dev.citadel.auditverifier;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A document signed with the platform's audit key — a deletion certificate — as one JSON object:
 * {@code {"format", "document", "algorithm": "Ed25519", "keyId", "signature"}}, where {@code document}
 * is the signed JSON text itself (a string, so the signed bytes are exactly its UTF-8) and
 * {@code signature} the base64 Ed25519 signature over them.
 */
public final class SignedDocument {

    public static final String ALGORITHM = "Ed25519";

    private SignedDocument() {}

    /** The result of a verification: the document when the signature holds, why not otherwise. */
    public record Verification(boolean valid, String format, String keyId, JsonNode document, String problem) {}

    /** Wraps {@code documentJson} with its signature made by {@code signer} (the audit signing key). */
    public static String sign(String format, String documentJson, String keyId, Function<byte[], byte[]> signer) {
        byte[] signature = signer.apply(documentJson.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> wrapper = new LinkedHashMap<>();
        wrapper.put("format", format);
        wrapper.put("document", documentJson);
        wrapper.put("algorithm", ALGORITHM);
        wrapper.put("keyId", keyId);
        wrapper.put("signature", Base64.getEncoder().encodeToString(signature));
        return AuditExport.JSON.writeValueAsString(wrapper);
    }

    /** Verifies a signed document against the trusted keys (by key id). */
    public static Verification verify(String text, String expectedFormat, Map<String, PublicKey> keys) {
        JsonNode wrapper;
        try {
            wrapper = AuditExport.JSON.readTree(text);
        } catch (JacksonException e) {
            return new Verification(false, null, null, null, "not JSON");
        }
        if (wrapper == null || !wrapper.isObject()) {
            return new Verification(false, null, null, null, "not a JSON object");
        }
        String format = text(wrapper, "format");
        String keyId = text(wrapper, "keyId");
        String document = text(wrapper, "document");
        String signature = text(wrapper, "signature");
        if (format == null || keyId == null || document == null || signature == null
                || !ALGORITHM.equals(text(wrapper, "algorithm"))) {
            return new Verification(false, format, keyId, null,
                    "missing format, document, keyId or signature, or an algorithm other than Ed25519");
        }
        if (expectedFormat != null && !expectedFormat.equals(format)) {
            return new Verification(false, format, keyId, null, "format is " + format + ", expected " + expectedFormat);
        }
        PublicKey key = keys.get(keyId);
        if (key == null) {
            return new Verification(false, format, keyId, null, "signed with key " + keyId + ", which is not trusted");
        }
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return new Verification(false, format, keyId, null, "the signature is not base64");
        }
        if (!AuditKeys.verify(key, document.getBytes(StandardCharsets.UTF_8), signatureBytes)) {
            return new Verification(false, format, keyId, null, "the signature does not verify: the document was "
                    + "changed or signed with another key");
        }
        try {
            return new Verification(true, format, keyId, AuditExport.JSON.readTree(document), null);
        } catch (JacksonException e) {
            return new Verification(false, format, keyId, null, "the signed document is not JSON");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }
}
