package dev.citadel.compliance.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.citadel.tenancy.Members;

/**
 * The access review of a tenant: every principal with its roles, last use, MFA and secret age, and
 * what a reviewer should look at — stale accounts, missing MFA, old secrets, roles beyond what the
 * kind of principal needs, and combinations that break separation of duties.
 */
public final class AccessReview {

    /** How old "stale" and "old secret" are. */
    public record Thresholds(Duration staleAfter, Duration secretMaxAge) {}

    public record Entry(String name, String kind, Set<String> roles, Boolean mfaEnabled, boolean disabled,
            Instant createdAt, Instant lastUsedAt, Long secretAgeDays, List<String> flags) {}

    public record Report(String tenant, Instant generatedAt, Thresholds thresholds, int principals, int flagged,
            List<Entry> entries) {}

    private static final Set<String> CHANGES_DATA = Set.of("tenant-admin", "data-steward", "data-scientist", "ml-engineer");

    private AccessReview() {}

    public static Report of(String tenant, List<Members.AccessEntry> principals, Thresholds thresholds, Instant now) {
        List<Entry> entries = new ArrayList<>();
        for (Members.AccessEntry p : principals) {
            List<String> flags = new ArrayList<>();
            Instant reference = p.lastUsedAt() != null ? p.lastUsedAt() : p.createdAt();
            if (!p.disabled() && reference != null && reference.plus(thresholds.staleAfter()).isBefore(now)) {
                flags.add(p.lastUsedAt() == null ? "stale: never used since it was created "
                        + days(p.createdAt(), now) + " days ago" : "stale: not used for " + days(p.lastUsedAt(), now) + " days");
            }
            if (p.disabled()) {
                flags.add("disabled but still a member: remove it");
            }
            if ("user".equals(p.kind()) && !Boolean.TRUE.equals(p.mfaEnabled())) {
                flags.add(p.roles().contains("tenant-admin") ? "no MFA: its tenant-admin role does not take effect"
                        : "no MFA");
            }
            Long secretAge = p.secretCreatedAt() == null ? null : days(p.secretCreatedAt(), now);
            if (secretAge != null && secretAge > thresholds.secretMaxAge().toDays()) {
                flags.add("secret " + secretAge + " days old: rotate it");
            }
            if ("service-account".equals(p.kind()) && !p.roles().equals(Set.of("predictor"))) {
                flags.add("over-privileged: an application needs only predictor, it holds "
                        + String.join(", ", p.roles().stream().sorted().toList()));
            }
            if (p.roles().contains("auditor") && p.roles().stream().anyMatch(CHANGES_DATA::contains)) {
                flags.add("separation of duties: auditor together with a role that changes what is audited");
            }
            if (p.roles().size() >= 4) {
                flags.add("over-privileged: " + p.roles().size() + " roles");
            }
            entries.add(new Entry(p.name(), p.kind(), p.roles(), p.mfaEnabled(), p.disabled(), p.createdAt(),
                    p.lastUsedAt(), secretAge, flags));
        }
        entries.sort(java.util.Comparator.comparing(Entry::kind).thenComparing(Entry::name));
        int flagged = (int) entries.stream().filter(e -> !e.flags().isEmpty()).count();
        return new Report(tenant, now, thresholds, entries.size(), flagged, entries);
    }

    private static long days(Instant from, Instant now) {
        return Math.max(0, Duration.between(from, now).toDays());
    }
}
