package dev.citadel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.citadel.auditverifier.AuditKeys;
import dev.citadel.auditverifier.SignedDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Erasure requests and their deletion certificates (docs/api-guide.md#erasure). */
@Command(name = "erasure", description = "Erase a dataset or a data subject, and check deletion certificates "
        + "(tenant-admin, data-steward; verify works offline).")
final class ErasureCommand {

    static final String FORMAT = "citadel-erasure-certificate/v1";

    @ParentCommand
    CitadelCommand root;

    @Command(name = "request", description = "Erase a dataset (--dataset) or a data subject (--subject-from-stdin: the "
            + "identifier is read from standard input, so it never lands in your shell history).")
    int request(@Option(names = "--dataset", description = "Erase this dataset and all its versions.") String dataset,
            @Option(names = "--subject-from-stdin", description = "Erase the subject whose identifier is on standard input.")
            boolean subject,
            @Option(names = "--only", split = ",", description = "With a subject: search only these datasets.")
            List<String> only,
            @Option(names = "--wait", description = "Wait until the erasure completes.") boolean wait) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (dataset != null && !subject) {
            body.put("scope", "dataset").put("dataset", dataset);
        } else if (subject && dataset == null) {
            String identifier;
            try {
                identifier = new String(root.io().in().readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw CliException.usage("cannot read the identifier from standard input");
            }
            if (identifier.isEmpty()) {
                throw CliException.usage("no identifier on standard input");
            }
            body.put("scope", "subject").put("identifier", identifier);
            if (only != null) {
                only.forEach(body.putArray("datasets")::add);
            }
        } else {
            throw CliException.usage("give either --dataset NAME or --subject-from-stdin");
        }
        JsonNode erasure = root.client().post(root.tenantPath("/erasure-requests"), body);
        String id = erasure.path("id").asString();
        if (wait) {
            erasure = waitFor(id);
        }
        JsonNode shown = erasure;
        root.print(shown, () -> table(shown));
        if (!wait) {
            root.say("Follow it with `citadel erasure show " + id + "`.");
        }
        return "failed".equals(erasure.path("state").asString()) ? ExitCode.FAILURE : ExitCode.OK;
    }

    @Command(name = "list", description = "The tenant's erasure requests, newest first.")
    int list() {
        root.list(root.tenantPath("/erasure-requests"), all -> all, List.of("ID", "SCOPE", "DATASET", "STATE", "PERCENT",
                "CERTIFICATE"), e -> new Object[] {e.path("id"), e.path("scope"), e.path("dataset"), e.path("state"),
                    e.path("percent"), e.path("certificate")});
        return ExitCode.OK;
    }

    @Command(name = "show", description = "One erasure request: state, progress and what was erased.")
    int show(@Parameters(paramLabel = "ID") String id) {
        JsonNode erasure = root.client().get(root.tenantPath("/erasure-requests/" + ApiClient.segment(id)));
        root.print(erasure, () -> table(erasure));
        return ExitCode.OK;
    }

    @Command(name = "certificate", description = "Download the signed deletion certificate of a completed erasure.")
    int certificate(@Parameters(paramLabel = "ID") String id,
            @Option(names = {"-f", "--file"}, required = true, description = "Where to write it.") Path file) {
        root.client().download(root.tenantPath("/erasure-requests/" + ApiClient.segment(id) + "/certificate"), file);
        root.say("Wrote the certificate to " + file + "; check it with `citadel erasure verify " + file + "`.");
        return ExitCode.OK;
    }

    @Command(name = "verify", description = "Check a deletion certificate's signature offline with the platform's audit "
            + "key (--key, a PEM file from /api/v1/audit/signing-keys), or with the audit keys this CLI keeps. "
            + "Exits 0 when valid, 1 when not.")
    int verify(@Parameters(paramLabel = "FILE") Path file,
            @Option(names = "--key", description = "PEM public key file(s) to trust.") List<Path> keyFiles) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file);
        }
        Map<String, PublicKey> keys = new HashMap<>();
        if (keyFiles != null && !keyFiles.isEmpty()) {
            for (Path keyFile : keyFiles) {
                try {
                    byte[] spki = AuditKeys.fromPem(Files.readString(keyFile).strip());
                    keys.put(AuditKeys.keyId(spki), AuditKeys.parse(spki));
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    throw CliException.usage("not a PEM Ed25519 public key: " + keyFile);
                }
            }
        } else {
            AuditTrust trust = new AuditTrust(root.store(), root.client().profile().server());
            List<String> newKeys = new ArrayList<>();
            keys.putAll(trust.keys(root.client().get("/api/v1/audit/signing-keys"), newKeys));
            newKeys.forEach(id -> root.io().err().println("note: trusting audit signing key " + Text.clean(id)
                    + " (first seen now)"));
        }
        SignedDocument.Verification verification = SignedDocument.verify(text, FORMAT, keys);
        if (!verification.valid()) {
            throw CliException.failed("the certificate does not verify: " + verification.problem());
        }
        JsonNode document = verification.document();
        root.print(document, () -> Table.fields(document, "id", "tenant", "scope", "dataset", "subjectToken",
                "requestedBy", "completedAt", "removedRows", "modelsNeedingRetraining"));
        root.say("Valid: signed by audit key " + verification.keyId() + ".");
        return ExitCode.OK;
    }

    private JsonNode waitFor(String id) {
        return new JobWatcher(root, java.time.Duration.ofMillis(200), java.time.Duration.ofHours(1))
                .await(root.tenantPath("/erasure-requests/" + ApiClient.segment(id)));
    }

    private static Table table(JsonNode e) {
        return Table.fields(e, "id", "scope", "dataset", "state", "phase", "percent", "result", "error", "certificate");
    }
}
