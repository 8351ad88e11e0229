package dev.citadel.auditverifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed documents (deletion certificates): signed, verified, and refused when anything is off. */
class SignedDocumentTest {

    private static final String FORMAT = Main.ERASURE_CERTIFICATE;
    private static final KeyPair KEY = generate();
    private static final KeyPair FOREIGN = generate();

    @TempDir
    Path dir;

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(KeyPair pair, byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(pair.getPrivate());
            signer.update(message);
            return signer.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String keyId(KeyPair pair) {
        return AuditKeys.keyId(pair.getPublic().getEncoded());
    }

    private static Map<String, PublicKey> trusted(KeyPair pair) {
        return Map.of(keyId(pair), pair.getPublic());
    }

    private static String certificate(KeyPair pair) {
        return SignedDocument.sign(FORMAT, "{\"tenant\":\"hospital\",\"removedRows\":3}", keyId(pair), m -> sign(pair, m));
    }

    @Test
    void aSignedDocumentVerifiesWithItsKeyAndGivesItsContent() {
        SignedDocument.Verification verification = SignedDocument.verify(certificate(KEY), FORMAT, trusted(KEY));
        assertThat(verification.valid()).as(verification.problem()).isTrue();
        assertThat(verification.document().path("removedRows").asInt()).isEqualTo(3);
    }

    @Test
    void aChangedDocumentAForeignKeyAnotherFormatOrGarbageAreRefused() {
        String changed = certificate(KEY).replace("\\\"removedRows\\\":3", "\\\"removedRows\\\":0");
        assertThat(SignedDocument.verify(changed, FORMAT, trusted(KEY)).problem()).contains("does not verify");
        assertThat(SignedDocument.verify(certificate(FOREIGN), FORMAT, trusted(KEY)).problem()).contains("not trusted");
        String relabelled = certificate(FOREIGN).replace(keyId(FOREIGN), keyId(KEY));
        assertThat(SignedDocument.verify(relabelled, FORMAT, trusted(KEY)).valid()).isFalse();
        assertThat(SignedDocument.verify(certificate(KEY), "other/v1", trusted(KEY)).problem()).contains("format");
        assertThat(SignedDocument.verify("[]", FORMAT, trusted(KEY)).valid()).isFalse();
        assertThat(SignedDocument.verify("not json", FORMAT, trusted(KEY)).valid()).isFalse();
        assertThat(SignedDocument.verify(certificate(KEY).replace("Ed25519", "RS256"), FORMAT, trusted(KEY)).valid())
                .isFalse();
    }

    @Test
    void theCommandLineExitsZeroOneOrTwo() throws Exception {
        Path key = Files.writeString(dir.resolve("audit.pem"), AuditKeys.toPem(KEY.getPublic().getEncoded()));
        Path good = Files.writeString(dir.resolve("good.json"), certificate(KEY));
        Path bad = Files.writeString(dir.resolve("bad.json"), certificate(FOREIGN));
        assertThat(run("verify-certificate", good.toString(), "--key", key.toString())).isZero();
        assertThat(run("verify-certificate", bad.toString(), "--key", key.toString())).isEqualTo(1);
        assertThat(run("verify-certificate", good.toString())).isEqualTo(2);
        assertThat(run("verify-certificate", dir.resolve("missing.json").toString(), "--key", key.toString()))
                .isEqualTo(2);
    }

    private static int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }
}
