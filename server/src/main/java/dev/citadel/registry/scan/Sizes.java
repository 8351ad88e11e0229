package dev.citadel.registry.scan;

/** Byte counts as people read them in a message. */
final class Sizes {

    private Sizes() {}

    static String describe(long bytes) {
        if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
