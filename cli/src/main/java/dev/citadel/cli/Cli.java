package dev.citadel.cli;

import picocli.CommandLine;

/** Runs the CLI on its arguments with the given surroundings and returns the exit code. */
public final class Cli {

    private Cli() {}

    public static int run(Io io, String... args) {
        CommandLine commandLine = commandLine(io);
        return commandLine.execute(args);
    }

    static CommandLine commandLine(Io io) {
        CommandLine commandLine = new CommandLine(new CitadelCommand(io));
        commandLine.setOut(io.out());
        commandLine.setErr(io.err());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.registerConverter(Pin.class, text -> {
            try {
                return Pin.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            int code = ExitCode.FAILURE;
            String message;
            if (exception instanceof CliException cli) {
                code = cli.exitCode();
                message = cli.getMessage();
            } else if (exception instanceof java.io.UncheckedIOException io2) {
                message = Text.clean(String.valueOf(io2.getCause().getMessage()));
            } else {
                message = exception.getClass().getSimpleName() + ": " + Text.clean(String.valueOf(exception.getMessage()));
            }
            command.getErr().println("error: " + message);
            command.getErr().flush();
            return code;
        });
        return commandLine;
    }
}
