package dev.citadel.platform.web;

import java.io.PrintStream;

/**
 * The one place that prints to the operator's console (not the log): how to reach the server and,
 * on first start, the generated bootstrap credentials, which must not end up in log files; and the
 * report of a command run from the console, such as a restore.
 */
public final class ConsoleAnnouncer {

    private static final PrintStream CONSOLE = System.out;

    private ConsoleAnnouncer() {}

    /** The console itself, for a command run from it (the restore command's report). */
    public static PrintStream console() {
        return CONSOLE;
    }

    public static void announce(String text) {
        CONSOLE.println();
        CONSOLE.println(text);
        CONSOLE.println();
        CONSOLE.flush();
    }
}
