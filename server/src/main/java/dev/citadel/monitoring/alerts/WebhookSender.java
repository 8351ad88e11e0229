package dev.citadel.monitoring.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.citadel.crypto.WebhookSignatures;
import dev.citadel.platform.Secret;

/**
 * Sends one signed delivery with the JDK's {@link HttpClient}: target re-checked first, redirects
 * never followed, connect and answer timeouts, the receiver's body never read. Returns what
 * happened; throws nothing.
 */
final class WebhookSender {

    static final String ID_HEADER = "Citadel-Webhook-Id";

    private final HttpClient client;
    private final WebhookTargets targets;
    private final Duration requestTimeout;

    WebhookSender(HttpClient client, WebhookTargets targets, Duration requestTimeout) {
        this.client = client;
        this.targets = targets;
        this.requestTimeout = requestTimeout;
    }

    /** The outcome of one attempt. */
    sealed interface Outcome permits Delivered, Failed {}

    /** The receiver answered 2xx. */
    record Delivered(int status) implements Outcome {}

    /**
     * No 2xx: {@code status} when the receiver answered, and an error class (an exception's simple
     * name, or {@code HttpStatus}, {@code TargetNotAllowed}, …) for the delivery log.
     */
    record Failed(Integer status, String error) implements Outcome {}

    Outcome send(URI url, UUID eventId, byte[] body, Secret secret, Instant now) {
        if (targets.check(url) instanceof WebhookTargets.Refused refused) {
            return new Failed(null, refused.reason());
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Citadel-Webhooks/1")
                .header(ID_HEADER, eventId.toString())
                .header(WebhookSignatures.HEADER, WebhookSignatures.header(secret, now.getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            // the body is never read: closing it unread drops the connection instead of draining it
            response.body().close();
            int status = response.statusCode();
            return status >= 200 && status < 300 ? new Delivered(status) : new Failed(status, "HttpStatus");
        } catch (IOException | RuntimeException e) {
            return new Failed(null, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed(null, "Interrupted");
        }
    }
}
