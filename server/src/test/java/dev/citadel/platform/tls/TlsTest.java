package dev.citadel.platform.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import dev.citadel.support.Api;
import dev.citadel.support.IntegrationTest;

/** The listener speaks only modern, forward-secret TLS, and every response carries the security headers. */
class TlsTest extends IntegrationTest {

    @Test
    void negotiatesTls13ByDefault() throws Exception {
        try (SSLSocket socket = socket()) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void acceptsTls12OnlyWithForwardSecretAeadSuites() throws Exception {
        try (SSLSocket socket = socket()) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
            socket.startHandshake();
            assertThat(socket.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
        for (String weak : new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"}) {
            try (SSLSocket socket = socket()) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.setEnabledCipherSuites(new String[] {weak});
                assertThatThrownBy(socket::startHandshake).as(weak).isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @Test
    void refusesProtocolsOlderThanTls12() throws Exception {
        try (SSLSocket socket = socket()) {
            socket.setEnabledProtocols(new String[] {"TLSv1.1"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }

    @Test
    void plainHttpOnTheListenerGetsNoApiResponse() throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/auth/jwks HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).doesNotContain("\"keys\"").doesNotStartWith("HTTP/1.1 200");
        }
    }

    @Test
    void securityHeadersAreOnSuccessAndErrorResponses() {
        for (Api.Response response : new Api.Response[] {api.get("/api/v1/auth/jwks", null),
            api.get("/api/v1/tenants", null), api.get("/api/v1/users/me", fx.adminToken())}) {
            assertThat(response.header("Strict-Transport-Security")).contains("max-age=31536000").contains("includeSubDomains");
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.header("Cache-Control")).contains("no-store");
            assertThat(response.header("Content-Security-Policy")).contains("default-src 'none'").contains("frame-ancestors 'none'");
            assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(response.header("X-Request-Id")).matches("[0-9a-f]{24}");
            assertThat(response.header("Server")).isNull();
        }
    }

    private SSLSocket socket() throws Exception {
        SSLContext context = Api.trusting(DATA_DIR.resolve("tls/server.crt"));
        return (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
    }
}
