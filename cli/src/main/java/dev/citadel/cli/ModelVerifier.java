package dev.citadel.cli;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.SignatureConfig;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Verifies an exported model offline (supply-chain.md, ADR 0019): the signed manifest against the
 * tenant's public keys (a Tink JSON keyset without secrets), then the artifact against the digest
 * and length the manifest signed.
 *
 * <p>Security guarantees: the signature covers the manifest string's exact UTF-8 bytes and is
 * checked by Tink before anything in the manifest is read, so the digest the artifact is compared
 * with is one the tenant signed. A valid signature says only that some version of the tenant is
 * authentic: callers check the tenant, model and version the result names.
 */
final class ModelVerifier {

    /** What a verified manifest states. */
    record Verified(String tenant, String model, int version, String sha256, long bytes, boolean artifactChecked) {}

    private ModelVerifier() {}

    /**
     * @param keysetJson   the answer of {@code GET …/signing-keys}
     * @param manifestJson the answer of {@code GET …/manifest}
     * @param artifact     the artifact's bytes, or null to check the signature only
     * @throws GeneralSecurityException when the signature or the artifact does not verify
     */
    static Verified verify(String keysetJson, String manifestJson, byte[] artifact) throws GeneralSecurityException {
        SignatureConfig.register();
        PublicKeyVerify verifier;
        try {
            KeysetHandle keys = TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(keysetJson, RegistryConfiguration.get());
            verifier = keys.getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new GeneralSecurityException("the keys are not a Tink public keyset: " + e.getMessage(), e);
        }
        JsonNode signed = read(manifestJson, "the signed manifest");
        if (!signed.path("manifest").isString() || !signed.path("signature").isString()) {
            throw new GeneralSecurityException("the signed manifest has no manifest or signature field");
        }
        String manifestText = signed.path("manifest").asString();
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signed.path("signature").asString());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the signature is not base64");
        }
        verifier.verify(signature, manifestText.getBytes(StandardCharsets.UTF_8));

        JsonNode manifest = read(manifestText, "the manifest");
        JsonNode expected = manifest.path("artifact");
        String sha256 = expected.path("sha256").asString();
        long bytes = expected.path("bytes").asLong(-1);
        if (artifact != null) {
            String actual = HexFormat.of().formatHex(sha256(artifact));
            if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII), sha256.getBytes(StandardCharsets.US_ASCII))
                    || artifact.length != bytes) {
                throw new GeneralSecurityException("the artifact is not the one the signed manifest describes");
            }
        }
        return new Verified(manifest.path("tenant").asString(), manifest.path("model").asString(),
                manifest.path("version").asInt(), sha256, bytes, artifact != null);
    }

    private static JsonNode read(String text, String what) throws GeneralSecurityException {
        try {
            return Json.parse(text);
        } catch (JacksonException e) {
            throw new GeneralSecurityException(what + " is not JSON");
        }
    }

    private static byte[] sha256(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
