package dev.citadel.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

import tools.jackson.databind.JsonNode;

/** Polls a job until it ends, drawing a progress bar on standard error. */
final class JobWatcher {

    private static final int WIDTH = 30;

    private final CitadelCommand root;
    private final Duration interval;
    private final Duration timeout;

    JobWatcher(CitadelCommand root, Duration interval, Duration timeout) {
        this.root = root;
        this.interval = interval;
        this.timeout = timeout;
    }

    JsonNode await(String path) {
        PrintWriter err = root.io().err();
        Instant deadline = Instant.now().plus(timeout);
        String last = "";
        while (true) {
            JsonNode job = root.client().get(path);
            String line = bar(job.path("percent").asInt(), job.path("phase").asString(job.path("state").asString()));
            if (!line.equals(last)) {
                err.print("\r" + line);
                err.flush();
                last = line;
            }
            String state = job.path("state").asString();
            if (!"queued".equals(state) && !"running".equals(state)) {
                err.println();
                err.flush();
                return job;
            }
            if (Instant.now().isAfter(deadline)) {
                err.println();
                throw CliException.failed("the job is still " + state + " after " + timeout.toMinutes()
                        + " minutes; follow it with `citadel jobs show`");
            }
            pause();
        }
    }

    static String bar(int percent, String phase) {
        int clamped = Math.max(0, Math.min(100, percent));
        int filled = clamped * WIDTH / 100;
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + String.format("%3d%%", clamped) + " "
                + Text.clean(phase);
    }

    private void pause() {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.SERVER, "interrupted");
        }
    }
}
