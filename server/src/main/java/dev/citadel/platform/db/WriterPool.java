package dev.citadel.platform.db;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A small second pool on the same database, as the same role, for a hot writer that runs a few
 * statements of its own (the audit group commit). Its transactions carry their tenant exactly as
 * {@link TenantTransactions} does on the main pool, so row-level security binds them the same way.
 *
 * <p>Why a pool of its own: H2 invalidates every cached query of a session on that session's first
 * write to a table in a transaction, by recomputing each cached query's dependencies; a main-pool
 * session holds up to 128 of them. A session that only ever runs the writer's statements pays
 * nothing for that, and its statements stay parsed.
 */
public final class WriterPool implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final TenantTransactions transactions;
    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;

    WriterPool(HikariDataSource main, DatabaseKind kind, String name, int size) {
        HikariConfig config = new HikariConfig();
        main.copyStateTo(config);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setMetricRegistry(null);
        config.setMetricsTrackerFactory(null);
        this.dataSource = new HikariDataSource(config);
        this.jdbcTemplate = new JdbcTemplate(dataSource);
        this.jdbc = JdbcClient.create(jdbcTemplate);
        this.transactions = new TenantTransactions(new DataSourceTransactionManager(dataSource), jdbc, kind);
    }

    /** Tenant-scoped transactions on this pool. */
    public TenantTransactions transactions() {
        return transactions;
    }

    /** True when the current thread's transaction is one of this pool's. */
    public boolean inTransaction() {
        return TransactionSynchronizationManager.hasResource(dataSource);
    }

    public JdbcTemplate jdbcTemplate() {
        return jdbcTemplate;
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
