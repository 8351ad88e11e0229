package dev.citadel.privacy;

/** What a detector can find. Direct identifiers are protected by default. */
public enum SensitiveKind {
    PAYMENT_CARD("payment-card", true),
    US_SSN("us-ssn", true),
    IBAN("iban", true),
    EMAIL("email", true),
    PHONE("phone", true),
    DATE_OF_BIRTH("date-of-birth", true),
    PERSON_NAME("person-name", true),
    STREET_ADDRESS("street-address", true),
    IP_ADDRESS("ip-address", true),
    FREE_TEXT_PII("free-text-pii", true);

    private final String wireName;
    private final boolean directIdentifier;

    SensitiveKind(String wireName, boolean directIdentifier) {
        this.wireName = wireName;
        this.directIdentifier = directIdentifier;
    }

    public String wireName() {
        return wireName;
    }

    public boolean directIdentifier() {
        return directIdentifier;
    }
}
