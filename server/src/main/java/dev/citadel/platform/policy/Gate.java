package dev.citadel.platform.policy;

import java.util.Optional;

/** The points where policies as code are evaluated, each over a documented input document (docs/policies.md). */
public enum Gate {
    UPLOAD("upload"),
    TRAIN("train"),
    REGISTER("register"),
    APPROVE("approve"),
    DEPLOY("deploy"),
    PREDICT("predict"),
    EXPORT("export");

    private final String wireName;

    Gate(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Gate> fromWireName(String name) {
        for (Gate gate : values()) {
            if (gate.wireName.equals(name)) {
                return Optional.of(gate);
            }
        }
        return Optional.empty();
    }
}
