package dev.citadel.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.citadel.auditverifier.AuditExport;
import dev.citadel.auditverifier.ChainVerifier;
import dev.citadel.auditverifier.SignedCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The tenant's audit trail: list, verify (with the kept checkpoint), export (and verify the file offline). */
@Command(name = "audit", description = "List, verify and export the tenant's audit trail (tenant-admin, auditor).")
final class AuditCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "list", description = "List entries, newest first.")
    int list(@Option(names = "--limit", defaultValue = "50") int limit, @Option(names = "--before") Long before,
            @Option(names = "--action") String action, @Option(names = "--actor") String actor,
            @Option(names = "--outcome") String outcome, @Option(names = "--from", paramLabel = "TIME") String from,
            @Option(names = "--to", paramLabel = "TIME") String to) {
        JsonNode page = root.client().get(root.tenantPath("/audit" + ApiClient.query(ApiClient.params("limit", limit,
                "before", before, "action", action, "actor", actor, "outcome", outcome, "from", from, "to", to))));
        root.print(page, () -> {
            Table table = Table.of("SEQ", "TIME", "ACTOR", "ACTION", "TARGET", "OUTCOME");
            page.path("items").forEach(e -> table.row(e.path("seq"), e.path("time"), e.path("actor"), e.path("action"),
                    e.path("targetType").asString("") + ":" + e.path("targetId").asString(""), e.path("outcome")));
            return table;
        });
        if (page.path("nextBefore").isNumber()) {
            root.say("More: --before " + page.path("nextBefore").asLong());
        }
        return ExitCode.OK;
    }

    @Command(name = "verify", description = "Have the server verify the trail, and check its latest signed checkpoint"
            + " extends the one kept from the last run (fails on a shrunk or forked trail).")
    int verify() {
        String tenant = root.tenant();
        ApiClient client = root.client();
        JsonNode report = client.get(root.tenantPath("/audit/verification"));
        ObjectNode result = (ObjectNode) report.deepCopy();
        if (!report.path("valid").asBoolean()) {
            root.print(result, () -> reportTable(result));
            throw CliException.failed("the audit trail is INVALID from entry " + report.path("firstInvalidEntry").asString()
                    + ": " + report.path("problem").asString());
        }
        JsonNode latest = report.path("latestCheckpoint");
        if (!latest.isObject()) {
            result.put("checkpoint", "none yet");
            root.print(result, () -> reportTable(result));
            root.say("The trail has no signed checkpoint yet; nothing to compare with.");
            return ExitCode.OK;
        }
        AuditTrust trust = new AuditTrust(root.store(), client.profile().server());
        SignedCheckpoint now = AuditTrust.checkpoint(tenant, latest);
        List<String> newKeys = new ArrayList<>();
        Map<String, PublicKey> keys = trust.keys(client.get("/api/v1/audit/signing-keys"), newKeys);
        newKeys.forEach(id -> root.io().err().println("note: trusting audit signing key " + Text.clean(id) + " (first seen now)"));
        if (!AuditTrust.signed(now, keys)) {
            throw CliException.failed("the latest checkpoint's signature does not verify with the audit keys kept in "
                    + root.store().directory());
        }
        AuditTrust.Outcome outcome = trust.compare(trust.kept(tenant), now, (from, to) -> AuditTrust.hashes(
                client.get(root.tenantPath("/audit/proofs/consistency" + ApiClient.query(ApiClient.params("from", from, "to", to))))
                        .path("proof")));
        String message = switch (outcome) {
            case AuditTrust.Outcome.First f -> "first checkpoint kept (size " + now.size() + ")";
            case AuditTrust.Outcome.Same s -> "same tree as the kept checkpoint (size " + now.size() + ")";
            case AuditTrust.Outcome.Extended e -> "consistent: extends the kept checkpoint (size " + e.from() + " → " + now.size() + ")";
            case AuditTrust.Outcome.Shrunk s -> throw CliException.failed("the audit trail SHRANK: the kept checkpoint covers "
                    + s.kept() + " entries, the server's latest only " + s.now() + " (rolled back or truncated)");
            case AuditTrust.Outcome.Forked f -> throw CliException.failed("the audit trail FORKED: the checkpoint of size " + f.now()
                    + " does not extend the kept one of size " + f.kept() + " (entries were rewritten)");
        };
        trust.keep(now);
        result.put("checkpoint", message);
        root.print(result, () -> reportTable(result));
        return ExitCode.OK;
    }

    @Command(name = "export", description = "Download the trail as a citadel-audit-export/v1 JSON Lines file.")
    int export(@Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Default: audit-TENANT.jsonl") Path file,
            @Option(names = "--force", description = "Replace an existing file.") boolean force,
            @Option(names = "--verify", description = "Verify the file offline with the audit verifier, the kept audit keys"
                    + " and the kept checkpoint.") boolean verify) throws IOException {
        String tenant = root.tenant();
        Path target = file != null ? file : Path.of("audit-" + tenant + ".jsonl");
        if (Files.exists(target) && !force) {
            throw CliException.usage(target + " exists; pass --force to replace it");
        }
        ApiClient client = root.client();
        client.download(root.tenantPath("/audit/export"), target);
        root.say("Wrote " + target + ".");
        if (!verify) {
            return ExitCode.OK;
        }
        AuditTrust trust = new AuditTrust(root.store(), client.profile().server());
        List<String> newKeys = new ArrayList<>();
        Map<String, PublicKey> keys = trust.keys(client.get("/api/v1/audit/signing-keys"), newKeys);
        SignedCheckpoint kept = trust.kept(tenant);
        ChainVerifier.Report report;
        try (Reader in = Files.newBufferedReader(target, StandardCharsets.UTF_8)) {
            report = AuditExport.verify(in, keys, kept == null ? List.of() : List.of(kept));
        }
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("file", target.toString());
        json.put("valid", report.valid());
        json.put("entries", report.entries());
        json.put("head", report.head());
        json.put("latestCheckpoint", report.latestCheckpoint() == null ? null : report.latestCheckpoint().size());
        json.put("firstInvalidEntry", report.firstInvalidEntry());
        json.put("problem", report.problem());
        root.print(json, () -> Table.fields(json, "file", "valid", "entries", "head", "latestCheckpoint", "firstInvalidEntry",
                "problem"));
        if (!report.valid()) {
            throw CliException.failed("the exported trail is INVALID: " + Text.clean(report.problem()));
        }
        return ExitCode.OK;
    }

    private static Table reportTable(JsonNode report) {
        Table table = Table.fields(report, "valid", "entries", "head", "firstInvalidEntry", "problem");
        JsonNode latest = report.path("latestCheckpoint");
        if (latest.isObject()) {
            table.row("latestCheckpoint", "size " + latest.path("size").asLong() + ", signed " + latest.path("time").asString()
                    + " by key " + latest.path("keyId").asString());
        }
        if (report.has("checkpoint")) {
            table.row("checkpoint", report.path("checkpoint"));
        }
        return table;
    }
}
