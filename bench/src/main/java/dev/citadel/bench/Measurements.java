package dev.citadel.bench;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What every benchmark here shares: timed rounds after a warm-up, medians, and stream plumbing. */
final class Measurements {

    private Measurements() {}

    interface Operation {
        void run() throws Exception;
    }

    /** Runs {@code op} once and, unless it is the warm-up round, records its throughput in MB/s under {@code name}. */
    static void record(String name, Map<String, List<Double>> results, boolean warmup, long bytes, Operation op)
            throws Exception {
        long start = System.nanoTime();
        op.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!warmup) {
            results.computeIfAbsent(name, k -> new ArrayList<>()).add(bytes / 1e6 / seconds);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** A view of {@code out} whose close only flushes (the store closes its own stream). */
    static OutputStream nonClosing(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }
}
