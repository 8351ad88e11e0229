package dev.citadel.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Everything the CLI reads from and writes to its surroundings, so that tests run it in-process:
 * standard input, output and error, the environment, and the prompter for passwords and confirmations.
 */
public record Io(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env, Prompter prompter) {

    public Io {
        env = Map.copyOf(env);
    }

    String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
