package dev.citadel.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Metadata views leave a sensitive column's categories and statistics out; the signed manifest keeps them. */
class InputSchemaTest {

    @Test
    void sensitiveFeaturesLoseTheirValuesAndStatisticsInViews() {
        InputSchema schema = new InputSchema(List.of(
                new InputSchema.Feature("age", "integer", null, 51.2, 14.0, true, null, null, null),
                new InputSchema.Feature("ssn", "categorical", List.of("123-45-6789", "234-56-7890"), null, null, null,
                        null, null, true),
                new InputSchema.Feature("income", "decimal", null, 52_000.0, 9_000.0, true, null, null, true)),
                new InputSchema.Target("readmitted", "boolean", List.of("false", "true")),
                List.of("age", "income", "ssn=123-45-6789", "ssn=234-56-7890"));

        InputSchema view = schema.redacted();

        assertThat(view.features().get(0)).isEqualTo(schema.features().get(0));
        assertThat(view.features().get(1).categories()).isNull();
        assertThat(view.features().get(2).mean()).isNull();
        assertThat(view.features().get(2).std()).isNull();
        assertThat(view.vector()).as("the vector names one-hot slots, i.e. values").isNull();
        assertThat(view.target()).isEqualTo(schema.target());
        assertThat(view.toString()).doesNotContain("123-45-6789", "52000");
    }

    @Test
    void aSchemaWithoutSensitiveFeaturesIsShownWhole() {
        InputSchema schema = new InputSchema(List.of(new InputSchema.Feature("ward", "categorical", List.of("icu"), null,
                null, null, null, null, null)), null, List.of("ward=icu"));
        assertThat(schema.redacted()).isSameAs(schema);
    }
}
