package dev.citadel.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;

/**
 * A real OTLP/HTTP trace receiver on loopback, started once for the test run: it decodes every
 * {@code POST /v1/traces} as an {@code ExportTraceServiceRequest} (the OTLP protobuf schema) and keeps
 * the spans it received, with their attributes, for tests to look at.
 */
public final class OtlpReceiver {

    /** A received span: its name, kind and attributes (values as strings). */
    public record Span(String name, String kind, Map<String, String> attributes) {}

    private static volatile OtlpReceiver instance;

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Span> spans = new ConcurrentLinkedQueue<>();

    private OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "otlp-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(body) : body;
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in);
                request.getResourceSpansList().forEach(resource -> resource.getScopeSpansList().forEach(scope ->
                        scope.getSpansList().forEach(span -> spans.add(new Span(span.getName(), span.getKind().name(),
                                attributes(span.getAttributesList()))))));
                byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, response.length);
                exchange.getResponseBody().write(response);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        Map<String, String> out = new java.util.HashMap<>();
        for (KeyValue kv : attributes) {
            var value = kv.getValue();
            out.put(kv.getKey(), value.hasStringValue() ? value.getStringValue() : value.toString().strip());
        }
        return out;
    }

    public static synchronized OtlpReceiver get() {
        if (instance == null) {
            try {
                instance = new OtlpReceiver();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public String tracesEndpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    public List<Span> spans() {
        return List.copyOf(spans);
    }
}
