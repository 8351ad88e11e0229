package dev.citadel.datasets.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import dev.citadel.platform.errors.ErrorCode;

/** Stops reading past a byte limit with 413 {@code dataset.too_large} (upload size, gzip inflation). */
public final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private final String what;
    private long read;

    public LimitedInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw IngestProblem.of(ErrorCode.DATASET_TOO_LARGE, what + " exceeds the limit of " + limit + " bytes");
        }
    }
}
