package dev.citadel.datasets;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads that protect uploaded rows (tokenize, mask, profile, serialise), shared by every
 * upload so that concurrent uploads together never use more than {@code citadel.datasets.ingest-threads}
 * cores for this work; each upload keeps at most that many batches in flight.
 */
@Component
class IngestWorkers implements DisposableBean {

    private final int parallelism;
    private final ExecutorService pool;

    IngestWorkers(DatasetsProperties properties) {
        this.parallelism = properties.effectiveIngestThreads();
        this.pool = Executors.newFixedThreadPool(parallelism,
                Thread.ofPlatform().name("citadel-ingest-", 0).daemon(true).factory());
    }

    Executor executor() {
        return pool;
    }

    int parallelism() {
        return parallelism;
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}
