package dev.citadel.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server on loopback: s3proxy (Maven Central, copied to target/s3proxy by the
 * build) in its own JVM with its filesystem backend. Started once per test JVM, stopped at exit.
 */
public final class S3ProxyServer {

    public static final String ACCESS_KEY = "citadel-test-access";
    public static final String SECRET_KEY = "citadel-test-secret-key-0123456789";
    private static S3ProxyServer instance;

    private Process process;
    private final int port;
    private final Path storage;

    private S3ProxyServer() throws IOException, InterruptedException {
        port = freePort();
        storage = Files.createTempDirectory("s3proxy-");
        launch();
    }

    /**
     * Another server of its own (not the shared one), for tests that stop and restart it
     * ({@link #stop()}, {@link #restart()}); it keeps its port and its objects across a restart.
     */
    public static S3ProxyServer startPrivate() {
        try {
            return new S3ProxyServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start s3proxy", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server (as an outage would); its objects stay on disk. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a stopped server again on the same port, with the same objects. */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart s3proxy", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() throws IOException, InterruptedException {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("s3proxy.jar missing: run the build through Maven (process-test-resources)");
        }
        Path properties = storage.resolve("s3proxy.properties");
        Path blobs = Files.createDirectories(storage.resolve("data"));
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + blobs,
                ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(storage.resolve("s3proxy.log").toFile())
                .start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
        awaitListening();
    }

    public static synchronized S3ProxyServer get() {
        if (instance == null) {
            try {
                instance = new S3ProxyServer();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start s3proxy", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Where s3proxy keeps object bytes on disk (to prove they are ciphertext). */
    public Path dataDirectory() {
        return storage.resolve("data");
    }

    private void awaitListening() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited: " + Files.readString(storage.resolve("s3proxy.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("s3proxy did not start listening: " + Files.readString(storage.resolve("s3proxy.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
