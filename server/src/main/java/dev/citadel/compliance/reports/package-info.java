/**
 * The access review and the compliance report's controls. Named so the web console can show the same
 * reports {@code GET …/reports/access-review} and {@code …/reports/compliance} answer.
 */
@org.springframework.modulith.NamedInterface("reports")
package dev.citadel.compliance.reports;
