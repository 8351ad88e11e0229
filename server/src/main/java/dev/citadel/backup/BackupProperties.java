package dev.citadel.backup;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.citadel.storage.StorageProperties;

/**
 * Where backups go ({@code citadel.backup.*}): a directory ({@code backups/} under the data
 * directory unless {@code directory} is set) or an S3-compatible bucket. For disaster recovery the
 * target must live apart from the installation: another disk, host, bucket or provider. {@code keep}:
 * how many complete backups to keep (older ones, and blobs no kept backup names, are deleted after
 * each successful backup); 0 keeps them all.
 */
@ConfigurationProperties("citadel.backup")
@org.springframework.validation.annotation.Validated
public record BackupProperties(
        @DefaultValue("filesystem") StorageProperties.Backend backend,
        String directory,
        @DefaultValue StorageProperties.S3 s3,
        @DefaultValue("0") @jakarta.validation.constraints.Min(0) int keep) {}
