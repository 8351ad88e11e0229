package dev.citadel.registry.scan;

/**
 * The size limits an imported model must stay within.
 *
 * @param maxFileBytes        largest accepted file
 * @param maxNodes            most nodes, counted over the main graph and every subgraph
 * @param maxInitializerBytes most bytes of tensor data, counted over initializers, sparse initializers
 *                            (at their dense size) and tensor attributes such as {@code Constant} values,
 *                            taking for each tensor the larger of its stored data and its declared shape
 * @param maxGraphDepth       deepest graph nesting, at most 64; the main graph is depth 1, a branch of an
 *                            {@code If} in it depth 2
 */
public record ScanLimits(long maxFileBytes, int maxNodes, long maxInitializerBytes, int maxGraphDepth) {

    /** 256 MiB files, 100,000 nodes, 200 MiB of tensor data, graphs nested 8 deep. */
    public static final ScanLimits DEFAULTS = new ScanLimits(256L << 20, 100_000, 200L << 20, 8);

    public ScanLimits {
        if (maxFileBytes < 1 || maxNodes < 1 || maxInitializerBytes < 1 || maxGraphDepth < 1) {
            throw new IllegalArgumentException("every scan limit must be positive");
        }
        if (maxGraphDepth > 64) {
            // the protobuf recursion limit grows with the depth; keep parsing far from the stack's end
            throw new IllegalArgumentException("maxGraphDepth must be at most 64");
        }
    }
}
