package dev.citadel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;

import tools.jackson.databind.node.ObjectNode;

/** Offline model verification with a tenant-like Tink Ed25519 keyset, as ADR 0019 signs manifests. */
class ModelVerifierTest {

    private static final byte[] ARTIFACT = "an onnx model, byte for byte".getBytes(StandardCharsets.UTF_8);
    private static KeysetHandle signing;
    private static String publicKeys;

    @BeforeAll
    static void keys() throws GeneralSecurityException {
        SignatureConfig.register();
        signing = KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519);
        publicKeys = TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(signing.getPublicKeysetHandle());
    }

    private static String signedManifest(String manifest) throws GeneralSecurityException {
        byte[] signature = signing.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class)
                .sign(manifest.getBytes(StandardCharsets.UTF_8));
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("manifest", manifest);
        answer.put("signature", Base64.getEncoder().encodeToString(signature));
        answer.put("keyId", signing.getPrimary().getId());
        answer.put("algorithm", "Ed25519");
        return answer.toString();
    }

    private static String manifest(byte[] artifact) throws GeneralSecurityException {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(artifact));
        return "{\"artifact\":{\"bytes\":" + artifact.length + ",\"sha256\":\"" + sha256 + "\"},\"model\":\"readmission\","
                + "\"tenant\":\"hospital\",\"version\":3}";
    }

    @Test
    void aSignedManifestAndItsArtifactVerify() throws GeneralSecurityException {
        ModelVerifier.Verified verified = ModelVerifier.verify(publicKeys, signedManifest(manifest(ARTIFACT)), ARTIFACT);
        assertThat(verified.tenant()).isEqualTo("hospital");
        assertThat(verified.model()).isEqualTo("readmission");
        assertThat(verified.version()).isEqualTo(3);
        assertThat(verified.artifactChecked()).isTrue();
    }

    @Test
    void aChangedManifestFailsItsSignature() throws GeneralSecurityException {
        ObjectNode signed = (ObjectNode) Json.parse(signedManifest(manifest(ARTIFACT)));
        signed.put("manifest", signed.path("manifest").asString().replace("\"version\":3", "\"version\":4"));
        assertThatThrownBy(() -> ModelVerifier.verify(publicKeys, signed.toString(), null))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void anotherArtifactFailsTheSignedDigest() throws GeneralSecurityException {
        byte[] changed = ARTIFACT.clone();
        changed[0] ^= 1;
        String signed = signedManifest(manifest(ARTIFACT));
        assertThatThrownBy(() -> ModelVerifier.verify(publicKeys, signed, changed)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("not the one the signed manifest describes");
    }

    @Test
    void anotherTenantsKeysDoNotVerify() throws GeneralSecurityException {
        String otherKeys = TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(
                KeysetHandle.generateNew(PredefinedSignatureParameters.ED25519).getPublicKeysetHandle());
        String signed = signedManifest(manifest(ARTIFACT));
        assertThatThrownBy(() -> ModelVerifier.verify(otherKeys, signed, ARTIFACT)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void garbageKeysOrAManifestWithoutSignatureAreRefused() throws GeneralSecurityException {
        String signed = signedManifest(manifest(ARTIFACT));
        assertThatThrownBy(() -> ModelVerifier.verify("{not json", signed, null)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("Tink public keyset");
        assertThatThrownBy(() -> ModelVerifier.verify(publicKeys, "{\"manifest\":1}", null))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
