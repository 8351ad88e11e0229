package dev.citadel.training;

import java.util.Optional;

/** What a model predicts: a class (classification) or a number (regression). */
public enum Task {
    CLASSIFICATION("classification"),
    REGRESSION("regression");

    private final String wireName;

    Task(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static Optional<Task> fromWireName(String name) {
        for (Task task : values()) {
            if (task.wireName.equals(name)) {
                return Optional.of(task);
            }
        }
        return Optional.empty();
    }
}
