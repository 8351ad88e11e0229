package dev.citadel.monitoring.anomalies;

import java.util.Arrays;

/**
 * One signal's counts per minute: the current minute and up to {@code history} completed minutes
 * before it (idle minutes count as zero). {@link #add} answers the threshold breached, once per
 * minute, when the current minute's count goes above {@code max(floor, median + k × 1.4826 × MAD)}
 * of the history — or above the floor alone while there is less than {@code minHistory} of it.
 * Median and MAD are robust: a few earlier spikes do not raise the baseline. Not thread-safe; the
 * caller synchronises.
 */
final class MinuteSeries {

    private final long[] history;
    private int filled;
    private int next;
    private long minute;
    private long count;
    private boolean reported;
    private long threshold;

    MinuteSeries(int history, long minute) {
        this.history = new long[history];
        this.minute = minute;
    }

    /** Counts one event at {@code now} (epoch minutes); the threshold crossed, or -1. */
    long add(long now, long floor, int minHistory, double k) {
        if (now != minute) {
            roll(now, floor, minHistory, k);
        }
        count++;
        if (!reported && count > threshold) {
            reported = true;
            return threshold;
        }
        return -1;
    }

    long count() {
        return count;
    }

    /** The median of the history (0 when empty). */
    long median() {
        return filled == 0 ? 0 : (long) median(Arrays.copyOf(sortedHistory(), filled));
    }

    private void roll(long now, long floor, int minHistory, double k) {
        long completed = Math.min(Math.max(now - minute, 0), history.length);
        for (long i = 0; i < completed; i++) {
            push(i == 0 ? count : 0);
        }
        minute = now;
        count = 0;
        reported = false;
        threshold = threshold(floor, minHistory, k);
    }

    private void push(long value) {
        history[next] = value;
        next = (next + 1) % history.length;
        filled = Math.min(filled + 1, history.length);
    }

    /** Recomputed at each new minute (and at creation through {@link #start}). */
    private long threshold(long floor, int minHistory, double k) {
        if (filled < minHistory) {
            return floor;
        }
        double[] values = sortedHistory();
        double median = median(values);
        double[] deviations = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        Arrays.sort(deviations);
        double mad = Math.max(1.4826 * median(deviations), 1);
        return Math.max(floor, (long) Math.ceil(median + k * mad));
    }

    void start(long floor, int minHistory, double k) {
        threshold = threshold(floor, minHistory, k);
    }

    private double[] sortedHistory() {
        double[] values = new double[filled];
        for (int i = 0; i < filled; i++) {
            values[i] = history[i];
        }
        Arrays.sort(values);
        return values;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
