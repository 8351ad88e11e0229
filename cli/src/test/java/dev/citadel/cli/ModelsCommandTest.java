package dev.citadel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** What {@code models show} prints for one version. */
class ModelsCommandTest {

    @Test
    void showsTheMembershipInferenceReportBesideAccuracy() {
        String version = """
                {"model":"readmission","version":2,"metrics":{"accuracy":0.9,
                 "membershipInference":{"attack":"loss-threshold","members":600,"nonMembers":600,"advantage":0.05,
                   "advantageMargin":0.12,"tprAt1PctFpr":0.02,
                   "dpBound":{"epsilon":2.99,"delta":1e-7,"advantage":0.905,"tprAt1PctFpr":0.2}}}}""";
        StringWriter out = new StringWriter();
        ModelsCommand.versionTable(Json.parse(version)).print(new PrintWriter(out), Format.CSV);
        assertThat(out.toString().lines()).contains("metrics.accuracy,0.9", "metrics.membershipInference.members,600",
                "metrics.membershipInference.advantage,0.05", "metrics.membershipInference.advantageMargin,0.12",
                "metrics.membershipInference.tprAt1PctFpr,0.02", "metrics.membershipInference.dpBound.epsilon,2.99",
                "metrics.membershipInference.dpBound.advantage,0.905",
                "metrics.membershipInference.dpBound.tprAt1PctFpr,0.2");
    }

    @Test
    void aVersionWithoutTheReportPrintsNoRowsForIt() {
        StringWriter out = new StringWriter();
        ModelsCommand.versionTable(Json.parse("{\"model\":\"m\",\"version\":1,\"metrics\":{\"rmse\":1.5}}"))
                .print(new PrintWriter(out), Format.CSV);
        assertThat(out.toString()).contains("metrics.rmse,1.5").doesNotContain("membershipInference");
    }
}
