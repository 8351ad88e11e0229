package dev.citadel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PredictionInputTest {

    @Test
    void csvCellsBecomeNumbersBooleansNullsOrText() {
        String csv = "\uFEFFage,ward,bmi,smoker,note\r\n67,cardiology,,true,\"says \"\"hi\"\", twice\"\r\n34,icu,24.1,false,x\n";
        assertThat(PredictionInput.detect(csv)).isEqualTo(PredictionInput.Kind.CSV);
        assertThat(PredictionInput.instances(csv, PredictionInput.Kind.CSV).toString()).isEqualTo(
                "[{\"age\":67,\"ward\":\"cardiology\",\"bmi\":null,\"smoker\":true,\"note\":\"says \\\"hi\\\", twice\"},"
                        + "{\"age\":34,\"ward\":\"icu\",\"bmi\":24.1,\"smoker\":false,\"note\":\"x\"}]");
    }

    @Test
    void jsonMayBeAnInstancesObjectAnArrayOrOneObject() {
        for (String json : new String[] {"{\"instances\":[{\"a\":1}]}", "[{\"a\":1}]", " {\"a\":1}"}) {
            assertThat(PredictionInput.detect(json)).isEqualTo(PredictionInput.Kind.JSON);
            assertThat(PredictionInput.instances(json, PredictionInput.Kind.JSON).toString()).isEqualTo("[{\"a\":1}]");
        }
    }

    @Test
    void malformedInputIsAUsageError() {
        assertThatThrownBy(() -> PredictionInput.instances("a,b\n1\n", PredictionInput.Kind.CSV))
                .isInstanceOf(CliException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> PredictionInput.instances("a\n\"open", PredictionInput.Kind.CSV))
                .isInstanceOf(CliException.class).hasMessageContaining("quoted");
        assertThatThrownBy(() -> PredictionInput.instances("[1,2]", PredictionInput.Kind.JSON))
                .isInstanceOf(CliException.class).hasMessageContaining("object");
        assertThatThrownBy(() -> PredictionInput.instances("{nope", PredictionInput.Kind.JSON))
                .isInstanceOf(CliException.class).extracting(e -> ((CliException) e).exitCode()).isEqualTo(ExitCode.USAGE);
    }
}
