package dev.citadel.platform;

/** What kind of identity a principal is. */
public enum PrincipalKind {
    USER("user"),
    SERVICE_ACCOUNT("service-account"),
    EXTERNAL("external");

    private final String wireName;

    PrincipalKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static PrincipalKind fromWireName(String name) {
        for (PrincipalKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown principal kind");
    }
}
