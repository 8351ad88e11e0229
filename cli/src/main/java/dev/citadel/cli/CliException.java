package dev.citadel.cli;

/** A failure to report as {@code error: <message>} with an exit code; never shown as a stack trace. */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }

    static CliException failed(String message) {
        return new CliException(ExitCode.FAILURE, message);
    }
}
