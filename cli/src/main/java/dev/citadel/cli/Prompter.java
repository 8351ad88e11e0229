package dev.citadel.cli;

import java.io.Console;

/** Asks the person at the terminal: a line, or a secret that is not echoed. */
public interface Prompter {

    /** The answer to {@code prompt}, or null when nobody can answer (no terminal, end of input). */
    String line(String prompt);

    /** A secret typed without echo, or null when nobody can answer. The caller clears the array. */
    char[] secret(String prompt);

    /** The process's console, or a prompter that answers nothing when there is none (a pipe, a CI job). */
    static Prompter console() {
        Console console = System.console();
        return new Prompter() {
            @Override
            public String line(String prompt) {
                return console == null ? null : console.readLine("%s", prompt);
            }

            @Override
            public char[] secret(String prompt) {
                return console == null ? null : console.readPassword("%s", prompt);
            }
        };
    }
}
