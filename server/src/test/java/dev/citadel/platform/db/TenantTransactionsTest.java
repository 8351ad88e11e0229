package dev.citadel.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.TestDatabase;

/** A transaction carries exactly one tenant, set transaction-locally, and cannot switch to another. */
class TenantTransactionsTest extends IntegrationTest {

    @Test
    void aTransactionCannotChangeItsTenant() {
        assertThatThrownBy(() -> transactions.inTenant(new TenantId("tenant-one"),
                () -> transactions.inTenant(new TenantId("tenant-two"), () -> 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(transactions.inTenant(new TenantId("tenant-one"),
                () -> transactions.inTenant(new TenantId("tenant-one"), () -> 1))).isEqualTo(1);
    }

    @Test
    void theTenantIsVisibleInsideTheTransactionOnlyAndANewTransactionRestoresIt() {
        TenantId one = new TenantId("tenant-one");
        transactions.inTenant(one, () -> {
            assertThat(TenantTransactions.currentTenant()).isEqualTo(one);
            assertThat(setting()).isEqualTo(TestDatabase.isPostgres() ? "tenant-one" : null);
            transactions.inNewTenantTransaction(TenantId.PLATFORM, () -> {
                assertThat(TenantTransactions.currentTenant()).isEqualTo(TenantId.PLATFORM);
                return null;
            });
            assertThat(TenantTransactions.currentTenant()).isEqualTo(one);
            assertThat(setting()).isEqualTo(TestDatabase.isPostgres() ? "tenant-one" : null);
        });
        assertThat(TenantTransactions.currentTenant()).isNull();
    }

    private String setting() {
        if (!TestDatabase.isPostgres()) {
            return null;
        }
        return jdbc.sql("select current_setting('citadel.tenant_id', true)").query(String.class).single();
    }
}
