package dev.citadel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a server: usage errors, the help, and commands that need a session. */
class CliTest {

    @TempDir
    Path config;

    record Run(int code, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Io io = new Io(java.io.InputStream.nullInputStream(), new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("CITADEL_CONFIG_DIR", config.toString()), ConfigStoreTest.io(Map.of()).prompter());
        return new Run(Cli.run(io, args), out.toString(), err.toString());
    }

    @Test
    void theHelpListsEveryCommandAndTheExitCodes() {
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("login", "logout", "tenants", "users", "members", "service-accounts", "datasets", "train",
                "jobs", "models", "deploy", "predict", "audit", "keys", "completion", "Exit codes:", "3   authentication");
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("no-such-command").code()).isEqualTo(2);
        assertThat(run("train", "--model", "m").code()).isEqualTo(2);
        assertThat(run("-o", "yaml", "tenants", "list").code()).isEqualTo(2);
        Run badPin = run("login", "--server", "https://localhost:8443", "--pin", "sha256:1234");
        assertThat(badPin.code()).isEqualTo(2);
        assertThat(badPin.err()).contains("32 bytes");
        Run plainHttp = run("login", "--server", "http://localhost:8080", "--pin", "sha256:" + "00".repeat(32));
        assertThat(plainHttp.code()).isEqualTo(2);
        assertThat(plainHttp.err()).isEqualTo("error: the server must be an https:// URL with a host (got http://localhost:8080)\n");
        assertThat(run("login", "--server", "https://h", "--pin", "sha256:" + "00".repeat(32), "--ca-cert", "x").code())
                .isEqualTo(2);
        assertThat(run("config", "set", "tenant", "Not_A_Slug").code()).isEqualTo(2);
    }

    @Test
    void differentialPrivacyOptionsAreCheckedBeforeAnythingIsSent() {
        String[] train = {"train", "-m", "m", "-d", "d", "--target", "t", "-t", "hospital"};
        Run noEpsilon = run(concat(train, "--delta", "1e-9", "--bound", "age=0,120"));
        assertThat(noEpsilon.code()).isEqualTo(2);
        assertThat(noEpsilon.err()).contains("need --epsilon");
        Run badBound = run(concat(train, "--epsilon", "3", "--bound", "age=zero,120"));
        assertThat(badBound.code()).isEqualTo(2);
        assertThat(badBound.err()).contains("LOW and HIGH must be numbers");
        assertThat(run(concat(train, "--epsilon", "3", "--privacy-file", "/no/such/privacy.json")).err())
                .contains("cannot read");
        assertThat(run("datasets", "set-budget", "d", "-t", "hospital").code()).isEqualTo(2);
        assertThat(run("datasets", "dp-profile", "d", "--epsilon", "1", "-t", "hospital").code()).isEqualTo(2);
        assertThat(run("datasets", "dp-profile", "d", "--epsilon", "1", "--bins", "age=4", "--categories", "w=a",
                "-t", "hospital").err()).contains("--bins needs a --bound");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void commandsThatNeedASessionSayHowToGetOne() {
        Run list = run("datasets", "list", "-t", "hospital");
        assertThat(list.code()).isEqualTo(3);
        assertThat(list.err()).isEqualTo("error: not logged in: run `citadel login --server https://…` first\n");
        assertThat(run("logout").code()).isZero();
    }

    @Test
    void theDefaultTenantIsKeptInTheConfiguration() {
        assertThat(run("config", "set", "tenant", "hospital").code()).isZero();
        assertThat(run("config", "show", "-o", "csv").out()).contains("tenant,hospital");
        assertThat(run("datasets", "list").err()).doesNotContain("no tenant");
        assertThat(run("config", "unset", "tenant").code()).isZero();
        Run noTenant = run("tenants", "show");
        assertThat(noTenant.code()).isEqualTo(2);
        assertThat(noTenant.err()).contains("no tenant");
    }

    @Test
    void completionIsABashScript() {
        Run completion = run("completion");
        assertThat(completion.code()).isZero();
        assertThat(completion.out()).contains("complete -F", "service-accounts", "rotate-secret");
    }
}
