package dev.citadel.backup.web;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.backup.Backups;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.platform.jobs.JobView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Encrypted, signed backups of the whole installation (platform administrators). */
@RestController
@RequestMapping("/api/v1/platform/backups")
@Tag(name = "Backups")
class BackupsController {

    private final Backups backups;

    BackupsController(Backups backups) {
        this.backups = backups;
    }

    @PostMapping
    @PlatformOperation(PlatformAction.BACKUPS_MANAGE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "startBackup", summary = "Back up the installation to the backup target",
            description = "A consistent snapshot of the metadata (encrypted, one key per tenant, keys wrapped by the KEK) "
                    + "and every blob not already in the target (incremental), with a manifest signed by the platform's "
                    + "audit key. Answers 202 with the job; follow it at /api/v1/platform/backups/jobs/{id}.")
    @ApiResponse(responseCode = "202", description = "Queued")
    JobView start() {
        return backups.start();
    }

    @GetMapping("/jobs/{id}")
    @PlatformOperation(PlatformAction.BACKUPS_MANAGE)
    @Operation(operationId = "showBackupJob", summary = "A backup job: state, progress and, when done, the backup id")
    JobView job(@PathVariable UUID id) {
        return backups.job(id);
    }

    @GetMapping
    @PlatformOperation(PlatformAction.BACKUPS_MANAGE)
    @Operation(operationId = "listBackups", summary = "The complete backups in the target, newest first")
    List<Backups.BackupView> list() {
        return backups.list();
    }

    @GetMapping("/{id}")
    @PlatformOperation(PlatformAction.BACKUPS_MANAGE)
    @Operation(operationId = "showBackup", summary = "One backup, from its manifest")
    Backups.BackupView show(@PathVariable @jakarta.validation.constraints.Size(max = 40) String id) {
        return backups.show(id);
    }
}
