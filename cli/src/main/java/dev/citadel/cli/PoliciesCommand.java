package dev.citadel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The tenant's policies as code (docs/policies.md). */
@Command(name = "policies", description = "List, write, remove and dry-run the tenant's policies (tenant-admin; "
        + "list and show also auditor).")
final class PoliciesCommand {

    @ParentCommand
    CitadelCommand root;

    private static final List<String> HEADERS = List.of("ID", "SCOPE", "GATE", "EFFECT", "ENABLED", "BUILT-IN", "MESSAGE");

    @Command(name = "list", description = "The policies in force: the platform's and built-in ones, then the tenant's.")
    int list() {
        root.list(root.tenantPath("/policies"), all -> all, HEADERS, PoliciesCommand::row);
        return ExitCode.OK;
    }

    @Command(name = "show", description = "Show one of the tenant's policies.")
    int show(@Parameters(paramLabel = "ID") String id) {
        JsonNode policy = root.client().get(root.tenantPath("/policies/" + ApiClient.segment(id)));
        root.print(policy, () -> Table.fields(policy, "id", "gate", "effect", "enabled", "expression", "message",
                "description", "updatedAt", "updatedBy"));
        return ExitCode.OK;
    }

    @Command(name = "put", description = "Create or change a policy; the expression is type-checked by the server.")
    int put(@Parameters(paramLabel = "ID") String id,
            @Option(names = "--gate", required = true, description = "upload, train, register, approve, deploy, predict "
                    + "or export.") String gate,
            @Option(names = "--expression", required = true, description = "A CEL expression over input that must hold.")
            String expression,
            @Option(names = "--message", required = true, description = "What a refused caller is told.") String message,
            @Option(names = "--effect", defaultValue = "deny", description = "deny (default) or warn.") String effect,
            @Option(names = "--description", description = "What the policy is for.") String description,
            @Option(names = "--disabled", description = "Save it without enforcing it.") boolean disabled) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("gate", gate).put("expression", expression).put("message", message).put("effect", effect)
                .put("enabled", !disabled);
        if (description != null) {
            body.put("description", description);
        }
        JsonNode policy = root.client().put(root.tenantPath("/policies/" + ApiClient.segment(id)), body);
        root.print(policy, () -> Table.fields(policy, "id", "gate", "effect", "enabled", "expression", "message"));
        return ExitCode.OK;
    }

    @Command(name = "delete", description = "Remove one of the tenant's policies.")
    int delete(@Parameters(paramLabel = "ID") String id) {
        root.client().delete(root.tenantPath("/policies/" + ApiClient.segment(id)));
        root.say("Removed policy " + id + ".");
        return ExitCode.OK;
    }

    @Command(name = "inputs", description = "Recent gate inputs to dry-run policies against, newest first.")
    int inputs(@Option(names = "--gate", description = "Only this gate.") String gate) {
        String query = gate == null ? "" : ApiClient.query(ApiClient.params("gate", gate));
        root.list(root.tenantPath("/policy-inputs" + query), all -> all, List.of("ID", "GATE", "OUTCOME", "VIOLATED",
                "RECORDED"), i -> new Object[] {i.path("id"), i.path("gate"), i.path("outcome"), i.path("violated"),
                    i.path("recordedAt")});
        return ExitCode.OK;
    }

    @Command(name = "evaluate", description = "Dry-run a policy against a recorded gate input or an input document. "
            + "Exits 1 when the policy does not hold.")
    int evaluate(@Option(names = "--id", description = "A saved policy.") String id,
            @Option(names = "--gate", description = "An unsaved policy's gate.") String gate,
            @Option(names = "--expression", description = "An unsaved policy's expression.") String expression,
            @Option(names = "--recorded", description = "A recorded input's id (citadel policies inputs).") String recorded,
            @Option(names = "--input", description = "A JSON file holding the input document.") Path input) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (id != null) {
            body.put("id", id);
        } else if (gate != null && expression != null) {
            body.putObject("policy").put("gate", gate).put("expression", expression).put("message", "dry run");
        } else {
            throw CliException.usage("give --id, or --gate and --expression");
        }
        if (recorded != null) {
            body.put("recordedInput", recorded);
        } else if (input != null) {
            try {
                body.set("input", Json.parse(Files.readString(input)));
            } catch (IOException e) {
                throw CliException.usage("cannot read " + input);
            }
        } else {
            throw CliException.usage("give --recorded or --input");
        }
        JsonNode result = root.client().post(root.tenantPath("/policies/evaluation"), body);
        root.print(result, () -> Table.fields(result, "policy", "gate", "holds", "result", "message", "error"));
        return result.path("holds").asBoolean() ? ExitCode.OK : ExitCode.FAILURE;
    }

    private static Object[] row(JsonNode p) {
        return new Object[] {p.path("id"), p.path("scope"), p.path("gate"), p.path("effect"), p.path("enabled"),
            p.path("builtIn"), p.path("message")};
    }
}
