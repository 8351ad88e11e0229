package dev.citadel.compliance.erasure;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.citadel.platform.TenantId;

/** Signed deletion certificates, one per completed erasure (tenant rows). */
@Repository
public class ErasureCertificates {

    private final JdbcClient jdbc;

    ErasureCertificates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the certificate of erasure {@code id} unless one is there already (a job run again). */
    void store(TenantId tenant, UUID id, String scope, String document, Instant now) {
        if (find(tenant, id).isPresent()) {
            return;
        }
        jdbc.sql("insert into erasure_certificates (tenant_id, id, scope, document, created_at) values (?, ?, ?, ?, ?)")
                .params(tenant.value(), id, scope, document, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).update();
    }

    public Optional<String> find(TenantId tenant, UUID id) {
        return jdbc.sql("select document from erasure_certificates where tenant_id = ? and id = ?").param(tenant.value())
                .param(id).query(String.class).optional();
    }
}
