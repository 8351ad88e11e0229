package dev.citadel.monitoring.drift;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A uniform sample of at most {@code capacity} values from a stream of unknown length (Vitter's
 * algorithm R), growing its array only as values arrive. Not thread-safe.
 */
final class Reservoir {

    private final int capacity;
    private final SplittableRandom random;
    private double[] values = new double[16];
    private int size;
    private long seen;

    Reservoir(int capacity, SplittableRandom random) {
        this.capacity = capacity;
        this.random = random;
    }

    void add(double value) {
        seen++;
        if (size < capacity) {
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.min(capacity, size * 2));
            }
            values[size++] = value;
            return;
        }
        long slot = random.nextLong(seen);
        if (slot < capacity) {
            values[(int) slot] = value;
        }
    }

    int size() {
        return size;
    }

    /** A sorted copy of the sample. */
    double[] sorted() {
        double[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }
}
