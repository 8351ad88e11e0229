package dev.citadel.compliance.reports;

import java.util.List;
import java.util.Map;

/**
 * One control of the compliance report: what it is, whether it is in force for this tenant now
 * ({@code in-place}, {@code attention} or {@code not-configured}), the evidence Citadel can show for
 * it — figures read when the report is made, never a claim that cannot be checked — and the
 * requirements it answers.
 */
public record Control(String id, String title, String status, String summary, Map<String, Object> evidence,
        Mappings mappings) {

    public static final String IN_PLACE = "in-place";
    public static final String ATTENTION = "attention";
    public static final String NOT_CONFIGURED = "not-configured";

    /** HIPAA Security Rule sections, GDPR articles, SOC 2 trust services criteria. */
    public record Mappings(List<String> hipaa, List<String> gdpr, List<String> soc2) {}
}
