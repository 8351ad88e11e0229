package dev.citadel.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLContext;

/**
 * A JVM load driver: {@code java.net.http.HttpClient} over HTTP/1.1 with keep-alive, one virtual
 * thread per connection, each sending single-instance JSON requests from a fixed pool of bodies.
 * Closed loop (each worker sends its next request when the last one answers) or paced (each worker
 * sends on a fixed schedule and latency is measured from the scheduled time, so a stalled server
 * is not hidden by the driver waiting for it). A warm-up is run and discarded before the window.
 */
final class LoadDriver {

    /** What one window measured; latencies in microseconds. */
    record Result(String name, int connections, double seconds, long ok, long refused, long failed, long p50, long p99) {

        double throughput() {
            return ok / seconds;
        }
    }

    /** Where and how to send: the URL, an optional bearer token and the request bodies to cycle through. */
    record Target(String name, URI uri, String token, List<byte[]> bodies) {}

    private final HttpClient client;

    LoadDriver(SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    /** Closed loop with {@code connections} workers: warm-up, then the measured window. */
    Result closedLoop(Target target, int connections, Duration warmup, Duration window) throws InterruptedException {
        run(target, connections, warmup, 0);
        return run(target, connections, window, 0);
    }

    /** Closed loop spread over several targets (replicas): worker {@code i} sends to target {@code i mod n}. */
    Result closedLoop(List<Target> targets, int connections, Duration warmup, Duration window) throws InterruptedException {
        run(targets, connections, warmup, 0);
        return run(targets, connections, window, 0);
    }

    /** Each of {@code connections} workers sends at {@code ratePerSecond / connections}; no warm-up. */
    Result paced(Target target, int connections, double ratePerSecond, Duration window) throws InterruptedException {
        return run(target, connections, window, ratePerSecond);
    }

    private Result run(Target target, int connections, Duration window, double rate) throws InterruptedException {
        return run(List.of(target), connections, window, rate);
    }

    private Result run(List<Target> targets, int connections, Duration window, double rate) throws InterruptedException {
        Worker[] workers = new Worker[connections];
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + window.toNanos();
        for (int i = 0; i < connections; i++) {
            long interval = rate > 0 ? (long) (1e9 * connections / rate) : 0;
            // stagger paced workers so their sends spread over one interval
            workers[i] = new Worker(targets.get(i % targets.size()), i * 7919, start + (interval * i) / connections, interval, end);
            threads.add(Thread.ofVirtual().start(workers[i]));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long ok = 0;
        long refused = 0;
        long failed = 0;
        int count = 0;
        for (Worker worker : workers) {
            ok += worker.ok;
            refused += worker.refused;
            failed += worker.failed;
            count += worker.count;
        }
        long[] all = new long[count];
        int at = 0;
        for (Worker worker : workers) {
            System.arraycopy(worker.latencies, 0, all, at, worker.count);
            at += worker.count;
        }
        Arrays.sort(all);
        return new Result(targets.getFirst().name(), connections, seconds, ok, refused, failed, percentile(all, 0.50),
                percentile(all, 0.99));
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** One connection's loop; only successful answers (200) count towards latency. */
    private final class Worker implements Runnable {

        private final Target target;
        private final long interval;
        private final long end;
        private int next;
        private long scheduled;
        long[] latencies = new long[4096];
        int count;
        long ok;
        long refused;
        long failed;

        Worker(Target target, int first, long firstSend, long interval, long end) {
            this.target = target;
            this.next = first;
            this.scheduled = firstSend;
            this.interval = interval;
            this.end = end;
        }

        @Override
        public void run() {
            while (true) {
                long sent;
                if (interval > 0) {
                    long wait = scheduled - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    sent = scheduled;
                    scheduled += interval;
                } else {
                    sent = System.nanoTime();
                }
                if (sent >= end) {
                    return;
                }
                int status = send();
                long latency = (System.nanoTime() - sent) / 1000;
                if (status == 200) {
                    ok++;
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = latency;
                } else if (status == 429) {
                    refused++;
                } else {
                    failed++;
                }
            }
        }

        private int send() {
            byte[] body = target.bodies().get(next++ % target.bodies().size());
            HttpRequest.Builder request = HttpRequest.newBuilder(target.uri())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (target.token() != null) {
                request.header("Authorization", "Bearer " + target.token());
            }
            try {
                return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }
}
