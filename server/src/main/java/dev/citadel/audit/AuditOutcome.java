package dev.citadel.audit;

/** How the audited request ended. */
public enum AuditOutcome {
    SUCCESS("success"),
    DENIED("denied"),
    FAILURE("failure");

    private final String wireName;

    AuditOutcome(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static AuditOutcome fromWireName(String name) {
        for (AuditOutcome outcome : values()) {
            if (outcome.wireName.equals(name)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown outcome");
    }
}
