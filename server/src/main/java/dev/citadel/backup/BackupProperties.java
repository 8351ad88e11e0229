package dev.citadel.backup;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.citadel.storage.StorageProperties;

/**
 * Where backups go ({@code citadel.backup.*}): a directory ({@code backups/} under the data
 * directory unless {@code directory} is set) or an S3-compatible bucket. For disaster recovery the
 * target must live apart from the installation: another disk, host, bucket or provider.
 */
@ConfigurationProperties("citadel.backup")
public record BackupProperties(
        @DefaultValue("filesystem") StorageProperties.Backend backend,
        String directory,
        @DefaultValue StorageProperties.S3 s3) {}
