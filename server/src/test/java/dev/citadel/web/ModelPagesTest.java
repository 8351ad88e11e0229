package dev.citadel.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The model page's metrics table: the membership-inference report reads as sentences, not JSON. */
class ModelPagesTest {

    @Test
    void showsTheAttackAndTheDpBound() {
        Map<String, Object> bound = Map.of("epsilon", 2.996, "delta", 1e-7, "advantage", 0.90503, "tprAt1PctFpr", 0.2001);
        Map<String, Object> attack = new LinkedHashMap<>(Map.of("members", 600, "nonMembers", 600, "advantage", 0.0483,
                "advantageMargin", 0.1209, "tprAt1PctFpr", 0.0167, "dpBound", bound));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.9);
        metrics.put("membershipInference", attack);
        List<String> rows = ModelPages.metrics(metrics).stream().map(m -> m.name() + ": " + m.value()).toList();
        assertThat(rows).containsExactly("accuracy: 0.9",
                "membership-inference advantage (loss threshold): 0.048 ± 0.121 (600 members, 600 non-members)",
                "membership-inference TPR at 1% FPR: 0.017", "DP bound on advantage (ε 2.996): ≤ 0.905",
                "DP bound on TPR at 1% FPR: ≤ 0.200");
    }

    @Test
    void saysWhenThereWereTooFewHeldOutRowsForOnePercent() {
        Map<String, Object> attack = new HashMap<>(Map.of("members", 30, "nonMembers", 30, "advantage", 0.1,
                "advantageMargin", 0.6));
        attack.put("tprAt1PctFpr", null);
        List<String> rows = ModelPages.metrics(Map.of("membershipInference", attack)).stream()
                .map(m -> m.name() + ": " + m.value()).toList();
        assertThat(rows).contains("membership-inference TPR at 1% FPR: too few held-out rows")
                .noneMatch(row -> row.startsWith("DP bound"));
    }
}
