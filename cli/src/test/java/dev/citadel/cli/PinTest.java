package dev.citadel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class PinTest {

    /** What {@code openssl x509 -in server.crt -noout -fingerprint -sha256} prints for the test certificate. */
    static final String OPENSSL_FINGERPRINT =
            "B4:58:BB:9A:FD:65:04:DD:1A:8A:9A:46:29:BB:2B:2E:04:01:37:83:1D:2C:B4:C3:06:D7:F3:73:DC:68:86:D7";

    static X509Certificate certificate() throws Exception {
        try (InputStream in = PinTest.class.getResourceAsStream("/tls/server.crt")) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void pinOfACertificateIsOpensslsSha256Fingerprint() throws Exception {
        assertThat(Pin.of(certificate())).hasToString("sha256:" + OPENSSL_FINGERPRINT);
    }

    @Test
    void parsesHexWithOrWithoutColonsAnyCaseAndBase64() throws Exception {
        Pin expected = Pin.of(certificate());
        byte[] digest = HexFormat.of().parseHex(OPENSSL_FINGERPRINT.replace(":", "").toLowerCase());
        assertThat(Pin.parse("sha256:" + OPENSSL_FINGERPRINT)).isEqualTo(expected);
        assertThat(Pin.parse("SHA256:" + OPENSSL_FINGERPRINT.replace(":", "").toLowerCase())).isEqualTo(expected);
        assertThat(Pin.parse("sha256:" + Base64.getEncoder().encodeToString(digest))).isEqualTo(expected);
        assertThat(Pin.parse("sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest))).isEqualTo(expected);
        assertThat(Pin.parse(expected.toString())).isEqualTo(expected);
    }

    @Test
    void rejectsPinsWithoutThePrefixOrOfTheWrongLength() {
        assertThatThrownBy(() -> Pin.parse(OPENSSL_FINGERPRINT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256:");
        assertThatThrownBy(() -> Pin.parse("sha256:abcd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pin.parse("sha256:" + "zz".repeat(32))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pin.parse("sha256:" + Base64.getEncoder().encodeToString(new byte[20])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pin.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void matchesOnlyTheExactCertificate() throws Exception {
        X509Certificate certificate = certificate();
        assertThat(Pin.of(certificate).matches(certificate)).isTrue();
        byte[] other = Pin.of(certificate).sha256();
        other[31] ^= 1;
        assertThat(new Pin(other).matches(certificate)).isFalse();
    }

    @Test
    void theTrustManagerRefusesAnyOtherCertificateAndClientCertificates() throws Exception {
        X509Certificate certificate = certificate();
        new PinningTrustManager(Pin.of(certificate)).checkServerTrusted(new X509Certificate[] {certificate}, "ECDHE_ECDSA");
        byte[] other = Pin.of(certificate).sha256();
        other[0] ^= 1;
        PinningTrustManager wrong = new PinningTrustManager(new Pin(other));
        assertThatThrownBy(() -> wrong.checkServerTrusted(new X509Certificate[] {certificate}, "ECDHE_ECDSA"))
                .isInstanceOf(PinningTrustManager.PinMismatchException.class).hasMessageContaining(OPENSSL_FINGERPRINT);
        assertThatThrownBy(() -> wrong.checkServerTrusted(new X509Certificate[0], "ECDHE_ECDSA"))
                .isInstanceOf(java.security.cert.CertificateException.class);
        PinningTrustManager right = new PinningTrustManager(Pin.of(certificate));
        assertThatThrownBy(() -> right.checkClientTrusted(new X509Certificate[] {certificate}, "ECDHE_ECDSA"))
                .isInstanceOf(java.security.cert.CertificateException.class);
        assertThat(right.getAcceptedIssuers()).isEmpty();
    }
}
