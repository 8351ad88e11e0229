package dev.citadel.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.jobs.JobView;
import dev.citadel.platform.jobs.Jobs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Backups as the operator API sees them: start one (a platform job), list and show the target's. */
@Service
public class Backups {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Jobs jobs;
    private final BackupTarget target;
    private final Clock clock;

    Backups(Jobs jobs, BackupTarget target, Clock clock) {
        this.jobs = jobs;
        this.target = target;
        this.clock = clock;
    }

    /** A backup in the target, from its manifest. */
    public record BackupView(String id, String createdAt, String completedAt, String requestedBy, String database,
            String schemaVersion, int tenants, int blobs, long bytes, boolean keyring) {}

    public JobView start() {
        return jobs.submit(TenantId.PLATFORM, BackupJob.KIND, Map.of("requestedBy", Principals.currentActor(),
                "requestedAt", clock.instant().toString()));
    }

    public JobView job(UUID id) {
        JobView job = jobs.find(TenantId.PLATFORM, id).filter(j -> j.kind().equals(BackupJob.KIND))
                .orElseThrow(() -> new CitadelException(ErrorCode.BACKUP_NOT_FOUND, "No such backup job."));
        return job;
    }

    public List<BackupView> list() {
        List<BackupView> views = new ArrayList<>();
        for (String id : target.ids().reversed()) {
            views.add(show(id));
        }
        return views;
    }

    public BackupView show(String id) {
        if (id == null || !BackupTarget.ID.matcher(id).matches()) {
            throw new CitadelException(ErrorCode.BACKUP_NOT_FOUND, "No such backup.");
        }
        try {
            String text = target.read(BackupTarget.manifest(id))
                    .orElseThrow(() -> new CitadelException(ErrorCode.BACKUP_NOT_FOUND, "No such backup."));
            JsonNode manifest = JSON.readTree(JSON.readTree(text).path("document").asString());
            long bytes = manifest.path("platform").path("bytes").asLong();
            for (JsonNode tenant : manifest.path("tenants")) {
                bytes += tenant.path("bytes").asLong();
            }
            for (JsonNode blob : manifest.path("blobs")) {
                bytes += blob.path("storedBytes").asLong();
            }
            return new BackupView(manifest.path("id").asString(), manifest.path("createdAt").asString(),
                    manifest.path("completedAt").asString(), manifest.path("requestedBy").asString(),
                    manifest.path("database").asString(), manifest.path("schemaVersion").asString(),
                    manifest.path("tenants").size(), manifest.path("blobs").size(), bytes,
                    !manifest.path("keyring").isNull() && !manifest.path("keyring").isMissingNode());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the backup target", e);
        }
    }
}
