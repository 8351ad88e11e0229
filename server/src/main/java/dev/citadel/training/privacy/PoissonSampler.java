package dev.citadel.training.privacy;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Poisson sampling of rows 0…n−1 with rate q = B/n by geometric skips: instead of one Bernoulli(q)
 * draw per row, the gap to the next included row is drawn from the geometric distribution
 * P(G = k) = (1−q)^k·q, which gives exactly the same joint distribution (independent inclusion
 * with probability q) in about B draws per pass instead of n (docs/adr/0033).
 *
 * <p>Security guarantees: the sampling is exact, not a floating-point approximation. With
 * t = (n−B)/n and W uniform on (0, 1], G = ⌊ln W / ln t⌋ (the largest k with W ≤ t^k). W is drawn
 * from {@link SecureRandom} as a dyadic interval of 53 bits; when the double-precision value of
 * ln W / ln t is at least 10^−9 (relative) away from an integer across the whole interval, G is
 * fixed by it (the floating-point error is below 10^−14 relative). Otherwise G is decided in exact
 * integer arithmetic, W ≤ t^k ⇔ (2^L − a)·n^k ≤ (n−B)^k·2^L, drawing further bits of W while the
 * interval straddles a threshold. So the accountant's assumption (independent Bernoulli(B/n)
 * inclusion) holds exactly, as with one integer draw per row.
 */
final class PoissonSampler {

    private static final double MARGIN = 1e-9;

    private final SecureRandom random;
    private final int rows;
    private final int batch;
    private final double logKeep;
    private final BigInteger n;
    private final BigInteger keep;

    PoissonSampler(int rows, int expectedBatch, SecureRandom random) {
        if (rows < 1 || expectedBatch < 1 || expectedBatch > rows) {
            throw new IllegalArgumentException("the expected batch must be between 1 and the number of rows");
        }
        this.random = random;
        this.rows = rows;
        this.batch = expectedBatch;
        this.logKeep = Math.log1p(-(double) expectedBatch / rows);
        this.n = BigInteger.valueOf(rows);
        this.keep = BigInteger.valueOf((long) rows - expectedBatch);
    }

    /** The first included row at or after {@code from}, or {@code rows} when none is left in this pass. */
    int next(int from) {
        if (from >= rows) {
            return rows;
        }
        if (batch == rows) {
            return from;
        }
        long gap = gap(rows - from);
        return (int) (from + gap);
    }

    /** min(G, limit) for G geometric with P(G ≥ k) = ((n−B)/n)^k. */
    long gap(long limit) {
        long a = random.nextLong() >>> 11; // 53 bits: U in [a/2^53, (a+1)/2^53), W = 1 − U
        double high = 1 - a * 0x1.0p-53; // W ≤ high (exact double)
        double low = 1 - (a + 1) * 0x1.0p-53; // W > low (exact double)
        if (low > 0) {
            double small = Math.log(high) / logKeep;
            double large = Math.log(low) / logKeep;
            double margin = MARGIN * (1 + large);
            double kLow = Math.floor(small - margin);
            double kHigh = Math.floor(large + margin);
            if (kLow == kHigh && kLow >= 0) {
                return (long) Math.min(kLow, limit);
            }
            if (kLow >= limit) {
                return limit;
            }
            return exactGap(BigInteger.valueOf(a), 53, (long) Math.max(0, Math.min(kLow, limit)), limit);
        }
        return exactGap(BigInteger.valueOf(a), 53, 0, limit);
    }

    /**
     * Decides min(G, limit) exactly for U ∈ [a/2^bits, (a+1)/2^bits), starting from a candidate k,
     * refining U with further random bits while its interval straddles a threshold t^k.
     */
    long exactGap(BigInteger a, int bits, long candidate, long limit) {
        long k = candidate;
        while (true) {
            BigInteger scale = BigInteger.ONE.shiftLeft(bits);
            BigInteger upper = scale.subtract(a); // W ≤ upper/2^bits
            BigInteger lower = upper.subtract(BigInteger.ONE); // W > lower/2^bits
            // W ≤ t^k everywhere ⇔ upper·n^k ≤ keep^k·2^bits
            boolean atLeastK = upper.multiply(n.pow((int) k)).compareTo(keep.pow((int) k).shiftLeft(bits)) <= 0;
            if (atLeastK && k >= limit) {
                return limit;
            }
            // W > t^(k+1) everywhere ⇔ lower·n^(k+1) ≥ keep^(k+1)·2^bits
            boolean belowNext = lower.multiply(n.pow((int) (k + 1)))
                    .compareTo(keep.pow((int) (k + 1)).shiftLeft(bits)) >= 0;
            if (atLeastK && belowNext) {
                return k;
            }
            // W > t^k everywhere: G < k
            if (k > 0 && lower.multiply(n.pow((int) k)).compareTo(keep.pow((int) k).shiftLeft(bits)) >= 0) {
                k--;
                continue;
            }
            // W ≤ t^(k+1) everywhere: G > k
            if (upper.multiply(n.pow((int) (k + 1))).compareTo(keep.pow((int) (k + 1)).shiftLeft(bits)) <= 0) {
                k++;
                continue;
            }
            a = a.shiftLeft(64).or(new BigInteger(1, longBytes(random.nextLong())));
            bits += 64;
        }
    }

    private static byte[] longBytes(long value) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
        return bytes;
    }
}
