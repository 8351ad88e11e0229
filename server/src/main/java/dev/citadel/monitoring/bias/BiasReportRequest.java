package dev.citadel.monitoring.bias;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What to evaluate a model version for: the attribute whose values are the groups (any column of
 * the evaluation data, a feature or not), the label counted as the favourable outcome (default: the
 * binary model's positive label), an optional privileged group to compare the others with, and
 * optionally another dataset version to evaluate on (all its rows) instead of the rows the training
 * job held out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BiasReportRequest(@Size(max = 256) String attribute, @Size(max = 256) String positiveLabel,
        @Size(max = 256) String privilegedGroup, @Valid DatasetRef dataset) {

    /** A dataset version by name and number. */
    public record DatasetRef(@Size(max = 64) String name, Integer version) {}
}
