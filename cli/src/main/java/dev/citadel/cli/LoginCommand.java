package dev.citadel.cli;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.net.ssl.SSLContext;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signs in and keeps the session. People give a password and a TOTP code (prompted without echo,
 * or from CITADEL_USERNAME, CITADEL_PASSWORD and CITADEL_TOTP); service accounts their client id and
 * secret. The server's certificate is verified with {@code --ca-cert}, pinned with {@code --pin},
 * trusted by the JDK's CAs, or else shown and pinned on first use once confirmed.
 */
@Command(name = "login", description = "Log in to a Citadel server and keep the session in the config directory.")
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    CitadelCommand root;

    @Option(names = "--server", paramLabel = "URL", description = "https://host:port (default: the last server).")
    String server;

    @ArgGroup(exclusive = true)
    Trust trust;

    static final class Trust {
        @Option(names = "--ca-cert", paramLabel = "FILE", description = "Verify the server with this CA certificate (PEM).")
        Path caCert;

        @Option(names = "--pin", paramLabel = "sha256:…", description = "Trust exactly the certificate with this SHA-256 fingerprint.")
        Pin pin;
    }

    @Option(names = {"-u", "--username"}, paramLabel = "NAME", description = "Your user name (default: $CITADEL_USERNAME, or asked).")
    String username;

    @Option(names = "--client-id", paramLabel = "ID", description = "Log in as a service account (or $CITADEL_CLIENT_ID).")
    String clientId;

    @Option(names = "--client-secret", paramLabel = "SECRET",
            description = "The service account's secret; prefer $CITADEL_CLIENT_SECRET, which `ps` does not show.")
    String clientSecret;

    @Option(names = {"-y", "--yes"}, description = "Trust the server's certificate on first use without asking.")
    boolean yes;

    @Override
    public Integer call() {
        Io io = root.io();
        ConfigStore store = root.store();
        Profile previous = store.load();
        URI uri = serverUri(server != null ? server : previous.server());
        boolean sameServer = uri.toString().equals(previous.server());
        String pin = null;
        String caCert = null;
        SSLContext tls;
        if (trust != null && trust.caCert != null) {
            if (!Files.isReadable(trust.caCert)) {
                throw CliException.usage("cannot read the CA certificate " + trust.caCert);
            }
            caCert = trust.caCert.toAbsolutePath().toString();
            tls = Tls.caCertificates(trust.caCert);
        } else if (trust != null && trust.pin != null) {
            pin = trust.pin.toString();
            tls = Tls.pinned(trust.pin);
        } else if (sameServer && (previous.pin() != null || previous.caCert() != null)) {
            pin = previous.pin();
            caCert = previous.caCert();
            tls = CitadelCommand.trust(previous);
        } else {
            Pin firstUse = trustOnFirstUse(uri);
            pin = firstUse == null ? null : firstUse.toString();
            tls = firstUse == null ? Tls.systemDefault() : Tls.pinned(firstUse);
        }
        Profile profile = new Profile(uri.toString(), pin, caCert, null, null, null, null,
                sameServer ? previous.tenant() : null);
        ApiClient anonymous = new ApiClient(uri, tls, store, profile, io);
        String id = clientId != null ? clientId : io.env("CITADEL_CLIENT_ID");
        JsonNode tokens = id != null ? clientCredentials(anonymous, id) : password(anonymous);
        JsonNode refresh = tokens.path("refresh_token");
        profile = new Profile(uri.toString(), pin, caCert, id != null ? id : username, tokens.path("access_token").asString(),
                refresh.isString() ? refresh.asString() : null, id, profile.tenant());
        store.save(profile);
        return welcome(profile, tls);
    }

    private int welcome(Profile saved, SSLContext tls) {
        Profile profile = saved;
        ApiClient client = new ApiClient(URI.create(profile.server()), tls, root.store(), profile, root.io());
        JsonNode me = client.get("/api/v1/users/me");
        JsonNode tenants = client.get("/api/v1/users/me/tenants");
        if (profile.tenant() == null && tenants.size() == 1) {
            profile = profile.withTenant(tenants.get(0).path("tenant").asString());
            root.store().save(profile);
        }
        ObjectNode summary = Json.MAPPER.createObjectNode();
        summary.put("server", profile.server());
        summary.put("pin", profile.pin());
        summary.put("name", me.path("name").asString());
        summary.put("kind", me.path("kind").asString());
        summary.put("mfa", me.path("mfa").asBoolean());
        summary.put("platformAdmin", me.path("platformAdmin").asBoolean());
        summary.put("tenant", profile.tenant());
        summary.set("tenants", tenants);
        if (root.format() == Format.TABLE) {
            root.say("Logged in to " + profile.server() + " as " + me.path("name").asString()
                    + (me.path("mfa").asBoolean() ? " (with TOTP)" : "") + ".");
            root.say(profile.tenant() != null ? "Default tenant: " + profile.tenant() + "."
                    : "No default tenant: pass --tenant, or run `citadel config set tenant <id>`.");
        } else {
            root.print(summary, () -> Table.fields(summary, "server", "pin", "name", "kind", "mfa", "tenant"));
        }
        return ExitCode.OK;
    }

    /** Null when the JDK's CAs already trust the server; else the pin the user accepted. */
    private Pin trustOnFirstUse(URI uri) {
        Io io = root.io();
        try {
            new ApiClient(uri, Tls.systemDefault(), root.store(), Profile.EMPTY, io)
                    .sendAnonymous(() -> HttpRequest.newBuilder(uri.resolve("/api/v1/auth/jwks")).GET());
            return null;
        } catch (CliException notTrusted) {
            // a certificate the JDK does not trust, typically the server's own self-signed one
        }
        X509Certificate certificate = Tls.fetchCertificate(uri);
        Pin pin = Pin.of(certificate);
        io.err().println("The server " + uri + " presents a certificate that no CA you trust has signed:");
        io.err().println("  subject:  " + Text.clean(certificate.getSubjectX500Principal().getName()));
        io.err().println("  valid:    " + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant());
        io.err().println("  SHA-256:  " + pin);
        io.err().println("Compare the fingerprint with the one the server's operator gave you"
                + " (the server logs it at start-up).");
        io.err().flush();
        if (!yes) {
            String answer = io.prompter().line("Trust this certificate and pin it? [y/N] ");
            if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
                throw CliException.failed("certificate not trusted; nothing was saved");
            }
        }
        return pin;
    }

    private JsonNode password(ApiClient client) {
        Io io = root.io();
        if (username == null) {
            username = io.env("CITADEL_USERNAME") != null ? io.env("CITADEL_USERNAME") : io.prompter().line("Username: ");
        }
        if (username == null || username.isBlank()) {
            throw CliException.usage("no user name: pass --username or set CITADEL_USERNAME");
        }
        char[] password = io.env("CITADEL_PASSWORD") != null ? io.env("CITADEL_PASSWORD").toCharArray()
                : io.prompter().secret("Password: ");
        if (password == null || password.length == 0) {
            throw CliException.usage("no password: type it when asked, or set CITADEL_PASSWORD");
        }
        String totp = io.env("CITADEL_TOTP") != null ? io.env("CITADEL_TOTP")
                : io.prompter().line("TOTP code (empty if none): ");
        try {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("username", username.strip());
            body.put("password", new String(password));
            if (totp != null && !totp.isBlank()) {
                body.put("totp", totp.strip());
            }
            return client.sendAnonymous(() -> ApiClient.json(client.request("/api/v1/auth/login"), "POST", body)).json();
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private JsonNode clientCredentials(ApiClient client, String id) {
        String secret = clientSecret != null ? clientSecret : root.io().env("CITADEL_CLIENT_SECRET");
        if (secret == null) {
            char[] typed = root.io().prompter().secret("Client secret: ");
            secret = typed == null ? null : new String(typed);
        }
        if (secret == null || secret.isBlank()) {
            throw CliException.usage("no client secret: set CITADEL_CLIENT_SECRET");
        }
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", id, "client_secret", secret);
        return client.sendAnonymous(() -> ApiClient.form(client.request("/api/v1/auth/token"), form)).json();
    }

    static URI serverUri(String text) {
        if (text == null) {
            throw CliException.usage("no server: pass --server https://host:port");
        }
        URI uri;
        try {
            uri = URI.create(text.strip().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("not a URL: " + Text.clean(text));
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw CliException.usage("the server must be an https:// URL with a host (got " + Text.clean(text) + ")");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getUserInfo() != null) {
            throw CliException.usage("the server URL is https://host[:port], without a path, query or user");
        }
        return uri;
    }

}
