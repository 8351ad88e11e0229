package dev.citadel.registry;

import java.util.Optional;

/** A model version's stage: candidate → approved → production → archived. */
public enum Stage {
    CANDIDATE("candidate"),
    APPROVED("approved"),
    PRODUCTION("production"),
    ARCHIVED("archived");

    private final String wireName;

    Stage(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Stage> fromWireName(String name) {
        for (Stage stage : values()) {
            if (stage.wireName.equals(name)) {
                return Optional.of(stage);
            }
        }
        return Optional.empty();
    }

    /** Whether a version in this stage may be served (issue 7 deploys only these). */
    public boolean deployable() {
        return this == APPROVED || this == PRODUCTION;
    }
}
