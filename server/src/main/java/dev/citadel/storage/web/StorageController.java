package dev.citadel.storage.web;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.storage.ReplicaRepairs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The replicated object store's scrub, on demand (platform administrators). */
@RestController
@Tag(name = "Platform")
class StorageController {

    private final ReplicaRepairs repairs;

    StorageController(ReplicaRepairs repairs) {
        this.repairs = repairs;
    }

    @PostMapping("/api/v1/platform/storage/scrub")
    @PlatformOperation(PlatformAction.STORAGE_MANAGE)
    @Operation(summary = "Scrub the replicated object store now",
            description = "Compares both copies of every object by SHA-256 and repairs a missing or divergent copy from "
                    + "the one that matches the blob registry (length, and decryption to the recorded digest). Answers "
                    + "when done with what it found. 409 storage.not_replicated when the store is not replicated; 409 "
                    + "storage.scrub_running when another scrub holds the lease. Recorded in the platform audit trail.")
    ReplicaRepairs.Report scrub() {
        return repairs.scrub();
    }
}
