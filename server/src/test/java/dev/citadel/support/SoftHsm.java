package dev.citadel.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real PKCS#11 token for tests: SoftHSM2 (Debian package {@code softhsm2}, installed by
 * {@code .ci/run}) with its token directory under {@code target/softhsm}. Tests that need it are
 * skipped, with this message, only where SoftHSM2 is not installed.
 */
public final class SoftHsm {

    public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    public static final String PIN = "test-user-pin-1234";
    private static final String SO_PIN = "test-so-pin-5678";
    private static boolean initialised;

    private SoftHsm() {}

    public static boolean available() {
        return Files.isReadable(LIBRARY) && Files.isExecutable(Path.of("/usr/bin/softhsm2-util"));
    }

    /** Skips the calling test unless SoftHSM2 is installed; otherwise makes sure a token exists. */
    public static synchronized void requireToken() {
        Assumptions.assumeTrue(available(),
                "SoftHSM2 is not installed (apt-get install softhsm2); PKCS#11 tests need a real token");
        if (initialised) {
            return;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF must be set for the test JVM (see server/pom.xml)");
        }
        try {
            Path confFile = Path.of(conf);
            Path tokens = confFile.getParent().resolve("tokens");
            if (Files.exists(tokens)) {
                try (var old = Files.walk(tokens)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(tokens);
            Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
            run(List.of("softhsm2-util", "--init-token", "--free", "--label", "citadel-test", "--so-pin", SO_PIN,
                    "--pin", PIN));
            initialised = true;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the SoftHSM2 token", e);
        }
    }

    /** Runs {@code pkcs11-tool} (Debian package {@code opensc}) against the token; empty when the tool is absent. */
    public static String pkcs11Tool(String... arguments) {
        if (!Files.isExecutable(Path.of("/usr/bin/pkcs11-tool"))) {
            return "";
        }
        List<String> command = new java.util.ArrayList<>(List.of("pkcs11-tool", "--module", LIBRARY.toString()));
        command.addAll(List.of(arguments));
        return run(command);
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, 2)) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
