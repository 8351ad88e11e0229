package dev.citadel.cli;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** The access review and the compliance report (tenant-admin, auditor). */
@Command(name = "reports", description = "The tenant's access review and compliance report (tenant-admin, auditor).")
final class ReportsCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "access-review", description = "Every principal with roles, last use, MFA and secret age, flagged.")
    int accessReview() {
        root.list(root.tenantPath("/reports/access-review"), json -> json.path("entries"), List.of("NAME", "KIND", "ROLES",
                "MFA", "LAST-USED", "FLAGS"), e -> new Object[] {e.path("name"), e.path("kind"), e.path("roles"),
                    e.path("mfaEnabled"), e.path("lastUsedAt"), e.path("flags")});
        return ExitCode.OK;
    }

    @Command(name = "compliance", description = "Every control with its status and evidence; --html writes the printable page.")
    int compliance(@Option(names = "--html", description = "Write the printable HTML page to this file.") Path html) {
        if (html != null) {
            root.client().download(root.tenantPath("/reports/compliance?format=html"), html);
            root.say("Wrote " + html + ".");
            return ExitCode.OK;
        }
        root.list(root.tenantPath("/reports/compliance"), json -> json.path("controls"), List.of("CONTROL", "STATUS",
                "SUMMARY"), c -> new Object[] {c.path("id"), c.path("status"), c.path("summary")});
        return ExitCode.OK;
    }
}
