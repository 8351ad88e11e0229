package dev.citadel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ExitCodeTest {

    @ParameterizedTest(name = "HTTP {0} exits {1}")
    @CsvSource({"400,1", "409,1", "413,1", "422,1", "429,1", "401,3", "403,3", "404,4", "500,5", "502,5", "503,5"})
    void mapsHttpStatusesToExitCodes(int status, int code) {
        assertThat(ExitCode.forStatus(status)).isEqualTo(code);
    }

    @Test
    void aProblemBecomesItsCodeAndDetailWithFieldErrors() {
        byte[] body = ("{\"type\":\"urn:citadel:error:training.invalid\",\"title\":\"Invalid\",\"status\":400,"
                + "\"detail\":\"The request is invalid.\",\"code\":\"training.invalid\","
                + "\"errors\":[{\"field\":\"params.trees\",\"message\":\"must be at most 2000\"}]}").getBytes(StandardCharsets.UTF_8);
        CliException problem = ApiClient.problem(400, body);
        assertThat(problem.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(problem.getMessage()).isEqualTo("training.invalid: The request is invalid.\n  params.trees: must be at most 2000");
        assertThat(problem.getStackTrace()).isEmpty();
    }

    @Test
    void anAnswerThatIsNotAProblemKeepsItsStatus() {
        CliException problem = ApiClient.problem(502, "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8));
        assertThat(problem.exitCode()).isEqualTo(ExitCode.SERVER);
        assertThat(problem.getMessage()).isEqualTo("the server answered HTTP 502");
    }
}
