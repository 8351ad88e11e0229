package dev.citadel.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import dev.citadel.support.ClientPki;

/**
 * The mutual TLS to PostgreSQL that docs/operations.md prescribes for replicas and workers works as
 * written: a PostgreSQL that accepts the replica's role only over TLS with a client certificate
 * ({@code hostssl … cert}), and pgjdbc with {@code sslmode=verify-full}, {@code sslrootcert},
 * {@code sslcert} and a PKCS#8 DER {@code sslkey} — with certificates this test creates.
 */
@Tag("postgresql")
class PostgresMutualTlsTest {

    private static final String ROLE = "citadel_replica";

    private static EmbeddedPostgres postgres;
    private static Path dir;
    private static ClientPki.Authority ca;

    @BeforeAll
    static void startPostgresRequiringClientCertificates() throws Exception {
        dir = Files.createTempDirectory("citadel-pg-mtls-");
        ca = ClientPki.authority("CN=Citadel test database CA");
        ClientPki.Credential server = ca.issueServer("localhost");
        ClientPki.Credential replica = ca.issue("CN=" + ROLE);
        Files.writeString(dir.resolve("ca.crt"), ClientPki.pem(ca.certificate()));
        Files.writeString(dir.resolve("client.crt"), ClientPki.pem(replica.certificate()));
        privateFile(dir.resolve("client.pk8"), replica.key().getEncoded()); // PKCS#8 DER, as the docs say
        ClientPki.Credential stranger = ClientPki.authority("CN=Somebody else's CA").issue("CN=" + ROLE);
        Files.writeString(dir.resolve("stranger.crt"), ClientPki.pem(stranger.certificate()));
        privateFile(dir.resolve("stranger.pk8"), stranger.key().getEncoded());

        postgres = EmbeddedPostgres.builder()
                .setDataDirectoryCustomizer(data -> configure(data.toPath(), server))
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_ca_file", "root.crt")
                .setServerConfig("ssl_min_protocol_version", "TLSv1.2")
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create role " + ROLE + " login");
        }
    }

    /** pgjdbc refuses a key file that its group or others can read. */
    private static void privateFile(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** Server certificate and key, the CA of client certificates, and a pg_hba that demands them for the replica's role. */
    private static void configure(Path data, ClientPki.Credential server) {
        try {
            Files.writeString(data.resolve("server.crt"), ClientPki.pem(server.certificate()));
            Path key = data.resolve("server.key");
            Files.writeString(key, ClientPki.pem(server.key()));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(data.resolve("root.crt"), ClientPki.pem(ca.certificate()));
            Files.writeString(data.resolve("pg_hba.conf"), """
                    local    all  all                    trust
                    host     all  postgres 127.0.0.1/32  trust
                    host     all  postgres ::1/128       trust
                    hostssl  all  %1$s     127.0.0.1/32  cert
                    hostssl  all  %1$s     ::1/128       cert
                    """.formatted(ROLE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theDocumentedUrlConnectsOverVerifiedTlsWithTheReplicaCertificate() throws SQLException {
        try (Connection c = connect("localhost", "sslmode=verify-full&sslrootcert=" + file("ca.crt")
                + "&sslcert=" + file("client.crt") + "&sslkey=" + file("client.pk8"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select ssl, client_dn from pg_stat_ssl where pid = pg_backend_pid()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean("ssl")).isTrue();
            assertThat(rs.getString("client_dn")).isEqualTo("/CN=" + ROLE);
        }
    }

    @Test
    void withoutAClientCertificateOrWithOneFromAnotherCaTheDatabaseRefuses() {
        assertThatThrownBy(() -> connect("localhost", "sslmode=verify-full&sslrootcert=" + file("ca.crt")).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("requires a valid client certificate");
        // pgjdbc does not even offer a certificate the server's CA list does not name; either way, no entry
        assertThatThrownBy(() -> connect("localhost", "sslmode=verify-full&sslrootcert=" + file("ca.crt")
                + "&sslcert=" + file("stranger.crt") + "&sslkey=" + file("stranger.pk8")).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("certificate");
        assertThatThrownBy(() -> connect("localhost", "sslmode=disable").close())
                .as("no line lets the replica's role in without TLS").isInstanceOf(SQLException.class)
                .hasMessageContaining("no pg_hba.conf entry");
    }

    @Test
    void verifyFullRefusesAServerCertificateForAnotherHostName() {
        // the server's certificate names localhost only: 127.0.0.1 is another name
        assertThatThrownBy(() -> connect("127.0.0.1", "sslmode=verify-full&sslrootcert=" + file("ca.crt")
                + "&sslcert=" + file("client.crt") + "&sslkey=" + file("client.pk8")).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("hostname");
    }

    private static Connection connect(String host, String parameters) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + postgres.getPort() + "/postgres?"
                + parameters + "&user=" + ROLE);
    }

    private static String file(String name) {
        return dir.resolve(name).toString();
    }
}
