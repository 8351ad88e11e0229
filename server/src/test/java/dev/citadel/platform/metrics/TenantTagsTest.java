package dev.citadel.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;

class TenantTagsTest {

    @Test
    void theFirstTenantsKeepTheirOwnTagAndTheRestShareOther() {
        TenantTags tags = new TenantTags(2);
        assertThat(tags.tag(new TenantId("alpha"))).isEqualTo("alpha");
        assertThat(tags.tag("beta")).isEqualTo("beta");
        assertThat(tags.tag("gamma")).isEqualTo(TenantTags.OTHER);
        assertThat(tags.tag("alpha")).as("a tagged tenant keeps its tag").isEqualTo("alpha");
        assertThat(tags.tag((TenantId) null)).isEqualTo(TenantTags.NONE);
        assertThat(tags.tag("")).isEqualTo(TenantTags.NONE);
    }
}
