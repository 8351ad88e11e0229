package dev.citadel.platform.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import dev.citadel.support.Api;
import dev.citadel.support.IntegrationTest;

/** Every error leaves as an RFC 9457 problem with a stable code, never a framework page or a stack trace. */
class ProblemResponsesTest extends IntegrationTest {

    @Test
    void frameworkErrorsBecomeProblemsWithStableCodes() {
        String admin = fx.adminToken();
        record Case(Api.Response response, int status, String code) {}
        List<Case> cases = List.of(
                new Case(api.get("/api/v1/no-such-endpoint", admin), 404, "request.not_found"),
                new Case(api.get("/api/v1/no-such-endpoint", null), 401, "auth.unauthenticated"),
                new Case(api.get("/definitely-not-here", null), 401, "auth.unauthenticated"),
                new Case(api.method("PATCH", "/api/v1/tenants", admin), 405, "request.method_not_allowed"),
                new Case(api.postRaw("/api/v1/tenants", admin, "application/xml", "<tenant/>"), 415,
                        "request.unsupported_media_type"),
                new Case(api.postRaw("/api/v1/tenants", admin, "application/json", "{\"id\": "), 400, "request.malformed"),
                new Case(api.postRaw("/api/v1/tenants", admin, "application/json", "[]"), 400, "request.malformed"),
                new Case(api.post("/api/v1/tenants", admin, Api.json("id", "Not A Slug!", "name", "x", "region", "eu")), 400,
                        "request.invalid"),
                new Case(api.get("/api/v1/users?limit=100000", admin), 400, "request.invalid"),
                new Case(api.get("/api/v1/users?limit=abc", admin), 400, "request.malformed"),
                new Case(api.send(api.request("/api/v1/tenants", admin).header("Accept", "application/xml").GET()), 406,
                        "request.not_acceptable"));
        for (Case c : cases) {
            assertThat(c.response().status()).as(c.response().toString()).isEqualTo(c.status());
            assertProblem(c.response(), c.code());
        }
    }

    @Test
    void firewallRejectionsAreProblemsToo() {
        Api.Response traversal = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/tenants/%2e%2e/users"))
                .header("Authorization", "Bearer " + fx.adminToken()).GET());
        assertThat(traversal.status()).isEqualTo(400);
        assertProblem(traversal, "request.malformed");
    }

    @Test
    void aControlCharacterInAHeaderThatIsReadIsRefusedByTheFirewall() throws Exception {
        SSLContext tls = Api.trusting(DATA_DIR.resolve("tls/server.crt"));
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port)) {
            // U+0085 (NEXT LINE) is a C1 control character; Tomcat passes it on as ISO-8859-1
            socket.getOutputStream().write(("GET /api/v1/tenants HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Authorization: Bearer abc\u0085def\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json", "request.malformed");
        }
    }

    @Test
    void validationProblemsNameTheFieldButNeverEchoTheValue() {
        Api.Response response = api.post("/api/v1/tenants", fx.adminToken(),
                Api.json("id", "<script>alert(1)</script>", "name", "x", "region", "eu-west-1"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("id");
        assertThat(response.body()).doesNotContain("<script>");
    }

    private static void assertProblem(Api.Response response, String code) {
        assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
        assertThat(response.json().path("type").asString()).isEqualTo("urn:citadel:error:" + code);
        assertThat(response.json().path("status").asInt()).isEqualTo(response.status());
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "org.springframework", "Whitelabel", "trace");
    }
}
