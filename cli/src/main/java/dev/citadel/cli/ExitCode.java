package dev.citadel.cli;

/** The exit codes of every command, as {@code citadel --help} and docs/cli.md list them. */
final class ExitCode {

    static final int OK = 0;
    /** Any other failure: a 4xx answer not listed below, or a verification that failed. */
    static final int FAILURE = 1;
    /** The command line is wrong (picocli's own usage code). */
    static final int USAGE = 2;
    /** Not signed in, the session ended, or the server refused the credentials or the action (401, 403). */
    static final int AUTH = 3;
    /** The resource does not exist, or belongs to a tenant the caller is not a member of (404). */
    static final int NOT_FOUND = 4;
    /** The server failed (5xx), cannot be reached, or its certificate does not match the pin. */
    static final int SERVER = 5;

    private ExitCode() {}

    /** The exit code for an HTTP error status. */
    static int forStatus(int status) {
        if (status == 401 || status == 403) {
            return AUTH;
        }
        if (status == 404) {
            return NOT_FOUND;
        }
        if (status >= 500) {
            return SERVER;
        }
        return FAILURE;
    }
}
