package dev.citadel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.storage.StorageProperties.Ack;
import dev.citadel.storage.StorageProperties.Backend;
import dev.citadel.storage.StorageProperties.RegionStore;
import dev.citadel.storage.StorageProperties.Replicated;
import dev.citadel.storage.store.ReplicatedBlobStore;

/** Start-up checks of {@code citadel.storage.backend=replicated}: each mistake is named. */
class ReplicatedConfigurationTest {

    @TempDir
    Path root;

    @Test
    void twoDirectoriesMakeAReplicatedStore() {
        ReplicatedBlobStore store = StorageConfiguration.replicated(properties(
                filesystem(root.resolve("a")), filesystem(root.resolve("b")), Ack.ONE));
        assertThat(store.ack()).isEqualTo(Ack.ONE);
        assertThat(store.description()).contains("ack one").contains(root.resolve("a").toString())
                .contains(root.resolve("b").toString());
    }

    @Test
    void aSideWithoutItsDirectoryOrBucketIsRefused() {
        assertThatThrownBy(() -> StorageConfiguration.replicated(properties(
                new RegionStore(Backend.FILESYSTEM, null, null),
                new RegionStore(Backend.S3, null, new StorageProperties.S3(null, "us-east-1", null, null, null, null,
                        false, false, 8)), Ack.BOTH)))
                .hasMessageContaining("citadel.storage.replicated.primary.directory")
                .hasMessageContaining("citadel.storage.replicated.secondary.s3.bucket");
    }

    @Test
    void theSameStoreTwiceOrAReplicatedSideIsRefused() {
        assertThatThrownBy(() -> StorageConfiguration.replicated(properties(
                filesystem(root.resolve("a")), filesystem(root.resolve("x/../a")), Ack.BOTH)))
                .hasMessageContaining("are the same store");
        assertThatThrownBy(() -> StorageConfiguration.replicated(properties(
                filesystem(root.resolve("a")), new RegionStore(Backend.REPLICATED, null, null), Ack.BOTH)))
                .hasMessageContaining("secondary.backend must be filesystem or s3");
    }

    /** The environment variable names docs/operations.md gives bind as documented. */
    @Test
    void theDocumentedEnvironmentVariablesBind() {
        Map<String, Object> environment = Map.of(
                "CITADEL_STORAGE_BACKEND", "replicated",
                "CITADEL_STORAGE_REPLICATED_ACK", "one",
                "CITADEL_STORAGE_REPLICATED_REPAIRINTERVAL", "5s",
                "CITADEL_STORAGE_REPLICATED_PRIMARY_DIRECTORY", root.resolve("p").toString(),
                "CITADEL_STORAGE_REPLICATED_SECONDARY_BACKEND", "s3",
                "CITADEL_STORAGE_REPLICATED_SECONDARY_S3_BUCKET", "citadel-copy",
                "CITADEL_STORAGE_REPLICATED_SECONDARY_S3_ACCESSKEY", "access");
        var source = new org.springframework.core.env.SystemEnvironmentPropertySource(
                org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment);
        var binder = new org.springframework.boot.context.properties.bind.Binder(
                org.springframework.boot.context.properties.source.ConfigurationPropertySources.from(source),
                null, org.springframework.boot.convert.ApplicationConversionService.getSharedInstance());
        StorageProperties properties = binder.bind("citadel.storage", StorageProperties.class).get();
        assertThat(properties.backend()).isEqualTo(Backend.REPLICATED);
        assertThat(properties.replicated().ack()).isEqualTo(Ack.ONE);
        assertThat(properties.replicated().repairInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.replicated().scrubInterval()).isEqualTo(Duration.ofHours(24));
        assertThat(properties.replicated().primary().backend()).isEqualTo(Backend.FILESYSTEM);
        assertThat(properties.replicated().primary().directory()).isEqualTo(root.resolve("p").toString());
        assertThat(properties.replicated().secondary().s3().bucket()).isEqualTo("citadel-copy");
        assertThat(properties.replicated().secondary().s3().accessKey()).isEqualTo("access");
    }

    private static RegionStore filesystem(Path directory) {
        return new RegionStore(Backend.FILESYSTEM, directory.toString(), null);
    }

    private static StorageProperties properties(RegionStore primary, RegionStore secondary, Ack ack) {
        return new StorageProperties(Backend.REPLICATED, null, Map.of(),
                new Replicated(primary, secondary, ack, Duration.ofSeconds(30), Duration.ofHours(24)));
    }
}
