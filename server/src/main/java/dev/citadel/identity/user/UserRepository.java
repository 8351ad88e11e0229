package dev.citadel.identity.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Users are platform-level identities (no tenant data), read and written in platform transactions. */
@Repository
public class UserRepository {

    private static final String COLUMNS = "id, username, password_hash, totp_secret, totp_pending_secret, totp_last_step, "
            + "platform_admin, disabled, token_generation, created_at, last_login_at";

    private final JdbcClient jdbc;

    public UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<UserRecord> findByUsername(String username) {
        return jdbc.sql("select " + COLUMNS + " from users where username = ?").param(username)
                .query(UserRepository::map).optional();
    }

    public Optional<UserRecord> findById(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from users where id = ?").param(id)
                .query(UserRepository::map).optional();
    }

    public List<UserRecord> list(int offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from users order by username limit ? offset ?")
                .param(limit).param(offset).query(UserRepository::map).list();
    }

    public long count() {
        return jdbc.sql("select count(*) from users").query(Long.class).single();
    }

    public void insert(UserRecord user) {
        jdbc.sql("insert into users (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .param(user.id()).param(user.username()).param(user.passwordHash())
                .param(user.totpSecret()).param(user.totpPendingSecret()).param(user.totpLastStep())
                .param(user.platformAdmin()).param(user.disabled())
                .param(user.tokenGeneration()).param(at(user.createdAt())).param(at(user.lastLoginAt()))
                .update();
    }

    public void setPendingTotp(UUID id, byte[] ciphertext) {
        jdbc.sql("update users set totp_pending_secret = ? where id = ?").param(ciphertext).param(id).update();
    }

    public void activateTotp(UUID id, byte[] ciphertext, long step) {
        jdbc.sql("update users set totp_secret = ?, totp_pending_secret = null, totp_last_step = ? where id = ?")
                .param(ciphertext).param(step).param(id).update();
    }

    /** Removes TOTP (active and pending) and invalidates every token issued before. */
    public void resetTotp(UUID id) {
        jdbc.sql("update users set totp_secret = null, totp_pending_secret = null, totp_last_step = 0, "
                + "token_generation = token_generation + 1 where id = ?").param(id).update();
    }

    /** Records a used TOTP step; false when it is not newer than the last one (a replay). */
    public boolean consumeTotpStep(UUID id, long step) {
        return jdbc.sql("update users set totp_last_step = ? where id = ? and totp_last_step < ?")
                .param(step).param(id).param(step).update() == 1;
    }

    public void recordLogin(UUID id, Instant at) {
        jdbc.sql("update users set last_login_at = ? where id = ?").param(at(at)).param(id).update();
    }

    /** Sets a new password hash and invalidates every token issued before. */
    public void setPasswordHash(UUID id, String hash) {
        jdbc.sql("update users set password_hash = ?, token_generation = token_generation + 1 where id = ?")
                .param(hash).param(id).update();
    }

    /** Disables (or re-enables) the user and invalidates every token issued before. */
    public boolean setDisabled(UUID id, boolean disabled) {
        return jdbc.sql("update users set disabled = ?, token_generation = token_generation + 1 where id = ?")
                .param(disabled).param(id).update() == 1;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static UserRecord map(ResultSet rs, int row) throws SQLException {
        return new UserRecord(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("password_hash"),
                rs.getBytes("totp_secret"), rs.getBytes("totp_pending_secret"), rs.getLong("totp_last_step"),
                rs.getBoolean("platform_admin"), rs.getBoolean("disabled"), rs.getInt("token_generation"),
                instant(rs, "created_at"), instant(rs, "last_login_at"));
    }
}
