package dev.citadel.web;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.citadel.support.Api;

/** A console client over plain HTTP: one session cookie, forms with or without their CSRF token. */
final class ConsoleHttp {

    static final String COOKIE = "__Host-citadel-console";
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");

    private final Api api;
    private String session;

    ConsoleHttp(Api api) {
        this.api = api;
    }

    Api.Response get(String path) {
        return remember(api.send(withCookie(api.request(path, null)).GET()));
    }

    Api.Response postForm(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(java.util.stream.Collectors.joining("&"));
        return remember(api.send(withCookie(api.request(path, null))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    /** The CSRF token a page's meta tag carries. */
    static String csrfToken(Api.Response page) {
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token on the page");
        }
        return m.group(1);
    }

    String session() {
        return session;
    }

    /** The raw Set-Cookie headers of a response. */
    static List<String> setCookies(Api.Response response) {
        return response.headers().getOrDefault("set-cookie", List.of());
    }

    private HttpRequest.Builder withCookie(HttpRequest.Builder builder) {
        return session == null ? builder : builder.header("Cookie", COOKIE + "=" + session);
    }

    private Api.Response remember(Api.Response response) {
        for (String cookie : setCookies(response)) {
            if (cookie.startsWith(COOKIE + "=")) {
                session = cookie.substring(COOKIE.length() + 1, cookie.indexOf(';'));
            }
        }
        return response;
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
