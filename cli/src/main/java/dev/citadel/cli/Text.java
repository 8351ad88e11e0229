package dev.citadel.cli;

/** Text from the server made safe for a terminal. */
final class Text {

    private Text() {}

    /**
     * Replaces control and formatting characters (except new lines) so that a value from the server
     * cannot move the cursor, recolour the terminal or hide text (ANSI escape injection).
     */
    static String clean(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder clean = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean unsafe = type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            if (c == '\n' || !unsafe) {
                clean.appendCodePoint(c);
            } else {
                clean.append(String.format("\\u%04x", c));
            }
        });
        return clean.toString();
    }
}
