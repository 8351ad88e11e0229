package dev.citadel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Calls the public REST API of one server over HTTPS with the session's bearer token. An expired
 * access token is renewed once, with the refresh token (or, for a service account, the client
 * credentials in the environment), and the call repeated; anything else that fails becomes a
 * {@link CliException} with the problem's {@code code} and {@code detail} and the exit code
 * {@link ExitCode#forStatus} gives.
 */
final class ApiClient {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final URI server;
    private final HttpClient http;
    private final ConfigStore store;
    private final Io io;
    private Profile profile;

    ApiClient(URI server, SSLContext tls, ConfigStore store, Profile profile, Io io) {
        this.server = server;
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.store = store;
        this.profile = profile;
        this.io = io;
    }

    /** An answer whose status was 2xx. */
    record Response(int status, HttpHeaders headers, byte[] body) {

        JsonNode json() {
            if (body.length == 0) {
                return Json.MAPPER.nullNode();
            }
            try {
                return Json.MAPPER.readTree(body);
            } catch (JacksonException e) {
                throw new CliException(ExitCode.SERVER, "the server's answer is not JSON");
            }
        }
    }

    Profile profile() {
        return profile;
    }

    JsonNode get(String path) {
        return send(() -> request(path).GET(), true).json();
    }

    JsonNode post(String path, JsonNode body) {
        return send(() -> json(request(path), "POST", body), true).json();
    }

    JsonNode put(String path, JsonNode body) {
        return send(() -> json(request(path), "PUT", body), true).json();
    }

    void delete(String path) {
        send(() -> request(path).DELETE(), true);
    }

    /** A call with a body of any type (a CSV, a workbook, a multipart form). */
    Response send(String method, String path, String contentType, Map<String, String> headers, BodyPublisher body) {
        return send(() -> {
            HttpRequest.Builder builder = request(path).header("Content-Type", contentType).method(method, body);
            headers.forEach(builder::header);
            return builder;
        }, true);
    }

    /** A call without the session's token (sign-in, the public keys). */
    Response sendAnonymous(Supplier<HttpRequest.Builder> request) {
        return send(request, false);
    }

    /** Streams a 2xx answer into {@code target} (replaced only once complete); returns its headers. */
    HttpHeaders download(String path, Path target) {
        HttpResponse<InputStream> response = exchange(() -> request(path).setHeader("Accept", "*/*").GET(), true,
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() >= 300) {
                throw problem(response.statusCode(), in.readNBytes(MAX_ERROR_BODY));
            }
            Path absolute = target.toAbsolutePath();
            Path temporary = absolute.resolveSibling("." + absolute.getFileName() + ".part");
            Files.deleteIfExists(temporary);
            ConfigStore.createPrivateFile(temporary);
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            return response.headers();
        } catch (IOException e) {
            throw new CliException(ExitCode.SERVER, "download from " + server + " failed: " + e.getMessage());
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json");
    }

    static HttpRequest.Builder json(HttpRequest.Builder builder, String method, JsonNode body) {
        return builder.header("Content-Type", "application/json")
                .method(method, BodyPublishers.ofString(body == null ? "{}" : body.toString(), StandardCharsets.UTF_8));
    }

    static HttpRequest.Builder form(HttpRequest.Builder builder, Map<String, String> fields) {
        StringJoiner body = new StringJoiner("&");
        fields.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return builder.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    }

    /** Percent-encodes one path segment (a user, dataset or model name) so it cannot change the path. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?a=1&b=2} of the non-null parameters, or the empty string. */
    static String query(Map<String, Object> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((k, v) -> {
            if (v != null) {
                query.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private Response send(Supplier<HttpRequest.Builder> request, boolean authenticated) {
        HttpResponse<byte[]> response = exchange(request, authenticated, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw problem(response.statusCode(), response.body());
        }
        return new Response(response.statusCode(), response.headers(), response.body());
    }

    private <T> HttpResponse<T> exchange(Supplier<HttpRequest.Builder> request, boolean authenticated,
            HttpResponse.BodyHandler<T> handler) {
        if (authenticated && !profile.signedIn()) {
            throw new CliException(ExitCode.AUTH, "not logged in: run `citadel login` first");
        }
        HttpResponse<T> response = call(request, authenticated, handler);
        if (authenticated && response.statusCode() == 401 && renew()) {
            discard(response);
            response = call(request, true, handler);
        }
        if (authenticated && response.statusCode() == 401) {
            discard(response);
            throw new CliException(ExitCode.AUTH,
                    "your session has expired or was revoked: run `citadel login` to log in again");
        }
        return response;
    }

    private <T> HttpResponse<T> call(Supplier<HttpRequest.Builder> request, boolean authenticated,
            HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder builder = request.get();
        if (authenticated) {
            builder.header("Authorization", "Bearer " + profile.accessToken());
        }
        try {
            return http.send(builder.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.SERVER, "interrupted");
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Gets a new access token once; false when the session cannot be renewed. */
    private boolean renew() {
        Map<String, String> form;
        if (profile.refreshToken() != null) {
            form = Map.of("grant_type", "refresh_token", "refresh_token", profile.refreshToken());
        } else if (profile.clientId() != null && profile.clientId().equals(io.env("CITADEL_CLIENT_ID"))
                && io.env("CITADEL_CLIENT_SECRET") != null) {
            form = Map.of("grant_type", "client_credentials", "client_id", profile.clientId(),
                    "client_secret", io.env("CITADEL_CLIENT_SECRET"));
        } else {
            return false;
        }
        HttpResponse<byte[]> answer = call(() -> form(request("/api/v1/auth/token"), form), false,
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            profile = profile.signedOut();
            store.save(profile);
            return false;
        }
        JsonNode tokens = new Response(200, answer.headers(), answer.body()).json();
        JsonNode refresh = tokens.path("refresh_token");
        profile = profile.withTokens(tokens.path("access_token").asString(), refresh.isString() ? refresh.asString() : null);
        store.save(profile);
        return true;
    }

    private CliException unreachable(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PinningTrustManager.PinMismatchException mismatch) {
                return new CliException(ExitCode.SERVER, "refusing to connect to " + server + ": "
                        + mismatch.getMessage() + ". If the certificate was replaced on purpose, log in again with the new --pin.");
            }
        }
        if (e instanceof SSLException) {
            return new CliException(ExitCode.SERVER, "TLS with " + server + " failed: " + Text.clean(String.valueOf(e.getMessage())));
        }
        if (e instanceof ConnectException || e instanceof HttpTimeoutException) {
            return new CliException(ExitCode.SERVER, "cannot reach " + server + ": " + e.getClass().getSimpleName());
        }
        return new CliException(ExitCode.SERVER, "the connection to " + server + " failed: "
                + Text.clean(String.valueOf(e.getMessage())));
    }

    /** The error for a non-2xx answer: its RFC 9457 code and detail when it has them. */
    static CliException problem(int status, byte[] body) {
        String message = "the server answered HTTP " + status;
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json.path("code").isString()) {
                message = json.path("code").asString() + ": " + json.path("detail").asString(json.path("title").asString(""));
                StringBuilder fields = new StringBuilder();
                for (JsonNode error : json.path("errors")) {
                    fields.append("\n  ").append(error.path("field").asString("")).append(": ")
                            .append(error.path("message").asString(""));
                }
                message += fields;
            }
        } catch (JacksonException notJson) {
            // keep the status line
        }
        return new CliException(ExitCode.forStatus(status), Text.clean(message));
    }

    private static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to release
            }
        }
    }
}
