package dev.citadel.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/** The entry point of the executable jar and the {@code citadel} launcher. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        Charset charset = System.console() != null ? System.console().charset() : Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true);
        int code = Cli.run(new Io(System.in, out, err, System.getenv(), Prompter.console()), args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
