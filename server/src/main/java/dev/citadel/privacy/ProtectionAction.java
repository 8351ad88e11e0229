package dev.citadel.privacy;

import java.util.Optional;

/** What happens to a column's values before anything is stored. */
public enum ProtectionAction {
    /** Deterministic keyed token ({@code tok_…}); reversible only with the detokenize permission. */
    TOKENIZE("tokenize"),
    /** Hide all but the last four characters (identifiers inside free text are redacted). */
    MASK("mask"),
    /** Remove the column. */
    DROP("drop"),
    /** Coarsen: dates to their year, numbers to ranges of ten. */
    GENERALIZE("generalize"),
    /** Refuse the whole upload while the column holds this kind of data. */
    REJECT("reject"),
    /** Store as is — needs a data steward's policy, and is audited. */
    KEEP("keep");

    private final String wireName;

    ProtectionAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ProtectionAction> fromWireName(String name) {
        for (ProtectionAction action : values()) {
            if (action.wireName.equals(name)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
