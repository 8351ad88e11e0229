package dev.citadel.registry.scan;

/** Makes a string taken from an uploaded file fit to quote in a message shown to a user. */
final class UntrustedText {

    static final int MAX_CODE_POINTS = 80;

    private UntrustedText() {}

    /**
     * Drops control and formatting characters (which could forge log lines or reorder text with
     * bidirectional overrides) and keeps at most {@value #MAX_CODE_POINTS} code points.
     */
    static String clean(String text) {
        return clean(text, MAX_CODE_POINTS);
    }

    static String clean(String text, int maxCodePoints) {
        StringBuilder out = new StringBuilder();
        int kept = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isISOControl(codePoint) || isInvisible(codePoint)) {
                continue;
            }
            if (kept == maxCodePoints) {
                out.append('…');
                break;
            }
            out.appendCodePoint(codePoint);
            kept++;
        }
        return out.toString();
    }

    private static boolean isInvisible(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.FORMAT || type == Character.SURROGATE || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** A name in quotes for a message, or a plain description when the model left it empty. */
    static String quoted(String name, String whatIfEmpty) {
        String cleaned = clean(name);
        return cleaned.isEmpty() ? whatIfEmpty : "'" + cleaned + "'";
    }
}
