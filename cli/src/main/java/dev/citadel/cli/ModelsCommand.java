package dev.citadel.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The model registry: versions, four-eyes approval, ONNX imports, export and offline verification. */
@Command(name = "models", description = "List, show, approve, import, export and verify models.")
final class ModelsCommand {

    private static final Pattern FILENAME = Pattern.compile("filename=\"([A-Za-z0-9][A-Za-z0-9._-]{0,127})\"");

    @ParentCommand
    CitadelCommand root;

    @Command(name = "list", description = "List the tenant's models.")
    int list() {
        root.list(root.tenantPath("/models"), all -> all, List.of("NAME", "LATEST-VERSION", "CREATED-BY", "CREATED"),
                m -> new Object[] {m.path("name"), m.path("latestVersion"), m.path("createdBy"), m.path("createdAt")});
        return ExitCode.OK;
    }

    @Command(name = "show", description = "Show a model's versions, or one version with its metrics and signature.")
    int show(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "VERSION", arity = "0..1") Integer version) {
        String base = root.tenantPath("/models/" + ApiClient.segment(name));
        if (version == null) {
            root.list(base + "/versions", all -> all, List.of("VERSION", "STAGE", "ORIGIN", "ALGORITHM", "CREATED-BY", "CREATED"),
                    v -> new Object[] {v.path("version"), v.path("stage"), v.path("origin"), v.path("algorithm"), v.path("createdBy"),
                        v.path("createdAt")});
            return ExitCode.OK;
        }
        JsonNode detail = root.client().get(base + "/versions/" + version);
        root.print(detail, () -> versionTable(detail));
        return ExitCode.OK;
    }

    @Command(name = "approve", description = "Approve a candidate version (someone other than who trained or imported it).")
    int approve(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "VERSION") int version,
            @Option(names = "--reason", required = true, description = "Why it may be deployed (1–1000 characters).") String reason) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("reason", reason);
        JsonNode approved = root.client().post(root.tenantPath("/models/" + ApiClient.segment(name) + "/versions/" + version
                + "/approval"), body);
        root.print(approved, () -> versionTable(approved));
        return ExitCode.OK;
    }

    @Command(name = "archive", description = "Archive a version: it can no longer be approved or deployed.")
    int archive(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "VERSION") int version) {
        JsonNode archived = root.client().post(root.tenantPath("/models/" + ApiClient.segment(name) + "/versions/" + version
                + "/archival"), null);
        root.print(archived, () -> versionTable(archived));
        return ExitCode.OK;
    }

    @Command(name = "import", description = "Import an ONNX model file as a new candidate version.")
    int importModel(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "FILE") Path file,
            @Option(names = "--schema", paramLabel = "FILE", description = "The input schema, JSON.") Path schema) {
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("no such file: " + file);
        }
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String boundary = "citadel-" + HexFormat.of().formatHex(random);
        BodyPublisher body;
        try {
            StringBuilder tail = new StringBuilder("\r\n");
            if (schema != null) {
                tail.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"schema\"\r\n")
                        .append("Content-Type: application/json\r\n\r\n")
                        .append(Files.readString(schema, StandardCharsets.UTF_8)).append("\r\n");
            }
            tail.append("--").append(boundary).append("--\r\n");
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"; filename=\"model.onnx\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n";
            body = BodyPublishers.concat(BodyPublishers.ofString(head), BodyPublishers.ofFile(file),
                    BodyPublishers.ofString(tail.toString(), StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            throw CliException.usage("cannot read " + file);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + schema + ": " + e.getMessage());
        }
        JsonNode version = root.client().send("POST", root.tenantPath("/models/" + ApiClient.segment(name) + "/versions"),
                "multipart/form-data; boundary=" + boundary, Map.of(), body).json();
        root.print(version, () -> versionTable(version));
        return ExitCode.OK;
    }

    @Command(name = "export", description = "Download a version's artifact, its signed manifest and the tenant's public keys.")
    int export(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "VERSION") int version,
            @Option(names = {"-d", "--dir"}, paramLabel = "DIR", defaultValue = ".", description = "Where to write (default: here).")
            Path dir) throws IOException {
        Files.createDirectories(dir);
        String base = root.tenantPath("/models/" + ApiClient.segment(name) + "/versions/" + version);
        Path manifest = dir.resolve("manifest.json");
        Path keys = dir.resolve("signing-keys.json");
        // the manifest holds the full input schema, so it is written readable only by the user, as the artifact is
        ConfigStore.replacePrivateFile(manifest, root.client().get(base + "/manifest").toString());
        ConfigStore.replacePrivateFile(keys, root.client().get(root.tenantPath("/signing-keys")).toString());
        Path artifact = dir.resolve(".artifact.download");
        HttpHeaders headers = root.client().download(base + "/artifact", artifact);
        Matcher filename = FILENAME.matcher(headers.firstValue("Content-Disposition").orElse(""));
        Path named = dir.resolve(filename.find() ? filename.group(1) : name.replaceAll("[^A-Za-z0-9._-]", "_") + "-v" + version + ".bin");
        Files.move(artifact, named, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        root.say("Wrote " + named + ", " + manifest + " and " + keys + ".");
        root.say("Verify offline: citadel models verify --keys " + keys + " --manifest " + manifest + " --artifact " + named);
        return ExitCode.OK;
    }

    @Command(name = "verify", description = "Verify an exported model offline: the manifest's signature and the artifact's digest.")
    int verify(@Option(names = "--keys", required = true, paramLabel = "FILE",
                    description = "The tenant's public keys (signing-keys.json), obtained over a channel you trust.") Path keys,
            @Option(names = "--manifest", required = true, paramLabel = "FILE") Path manifest,
            @Option(names = "--artifact", paramLabel = "FILE", description = "The artifact; without it only the signature is checked.")
            Path artifact,
            @Option(names = "--expect-model", paramLabel = "NAME") String expectModel,
            @Option(names = "--expect-version", paramLabel = "N") Integer expectVersion) throws IOException {
        ModelVerifier.Verified verified;
        try {
            verified = ModelVerifier.verify(Files.readString(keys, StandardCharsets.UTF_8),
                    Files.readString(manifest, StandardCharsets.UTF_8), artifact == null ? null : Files.readAllBytes(artifact));
        } catch (GeneralSecurityException e) {
            throw CliException.failed("verification FAILED: " + Text.clean(e.getMessage()));
        }
        if (expectModel != null && !expectModel.equals(verified.model())
                || expectVersion != null && expectVersion != verified.version()) {
            throw CliException.failed("verification FAILED: the manifest is for " + Text.clean(verified.model()) + " version "
                    + verified.version() + ", not the one expected");
        }
        ObjectNode json = Json.MAPPER.valueToTree(verified);
        root.print(json, () -> Table.fields(json, "tenant", "model", "version", "sha256", "bytes", "artifactChecked"));
        root.say("Verified: " + verified.tenant() + "/" + verified.model() + " version " + verified.version()
                + (verified.artifactChecked() ? ", artifact SHA-256 " + verified.sha256() : " (signature only; no --artifact)"));
        return ExitCode.OK;
    }

    static Table versionTable(JsonNode version) {
        Table table = Table.fields(version, "model", "version", "stage", "origin", "format", "task", "algorithm", "createdBy",
                "createdAt");
        table.row("artifact.sha256", version.path("artifact").path("sha256"));
        table.row("signature", version.path("signature").path("algorithm").asString("") + " key "
                + version.path("signature").path("keyId").asString("") + ", verified "
                + version.path("signature").path("verified").asString("—"));
        JsonNode approval = version.path("approval");
        table.row("approval", approval.isObject()
                ? "by " + approval.path("approvedBy").asString() + " at " + approval.path("approvedAt").asString() + ": "
                        + approval.path("reason").asString()
                : "none");
        JsonNode metrics = version.path("metrics");
        for (String metric : new String[] {"accuracy", "rocAuc", "rmse", "r2"}) {
            if (metrics.path(metric).isNumber()) {
                table.row("metrics." + metric, metrics.path(metric));
            }
        }
        // the membership-inference report (issue 12): the attack's figures, and what a DP guarantee allows
        JsonNode attack = metrics.path("membershipInference");
        for (String figure : new String[] {"members", "nonMembers", "advantage", "advantageMargin", "tprAt1PctFpr"}) {
            if (attack.path(figure).isNumber()) {
                table.row("metrics.membershipInference." + figure, attack.path(figure));
            }
        }
        for (String figure : new String[] {"epsilon", "advantage", "tprAt1PctFpr"}) {
            if (attack.path("dpBound").path(figure).isNumber()) {
                table.row("metrics.membershipInference.dpBound." + figure, attack.path("dpBound").path(figure));
            }
        }
        JsonNode privacy = version.path("lineage").path("privacy");
        if (privacy.isObject()) {
            for (String field : new String[] {"epsilon", "epsilonAccounted", "delta", "sigma", "clip", "samplingRate", "steps"}) {
                if (privacy.path(field).isNumber()) {
                    table.row("privacy." + field, privacy.path(field));
                }
            }
        }
        return table;
    }
}
