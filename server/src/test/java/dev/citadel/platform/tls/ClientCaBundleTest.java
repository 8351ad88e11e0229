package dev.citadel.platform.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.platform.config.CitadelProperties;
import dev.citadel.support.ClientPki;

/** Start-up refuses a client CA bundle that would make {@code client-auth=want} meaningless or wrong. */
class ClientCaBundleTest {

    @TempDir
    Path dir;

    @Test
    void aBundleOfCaCertificatesIsAccepted() throws Exception {
        Path bundle = dir.resolve("ca.pem");
        Files.writeString(bundle, ClientPki.pem(ClientPki.authority("CN=one").certificate())
                + ClientPki.pem(ClientPki.authority("CN=two").certificate()));
        assertThat(TlsConfiguration.clientCa(tls(bundle.toString()))).isEqualTo(bundle);
    }

    @Test
    void aMissingEmptyOrNonCaBundleIsRefused() throws Exception {
        assertThatThrownBy(() -> TlsConfiguration.clientCa(tls(null))).hasMessageContaining("citadel.tls.client-ca");
        assertThatThrownBy(() -> TlsConfiguration.clientCa(tls(dir.resolve("absent.pem").toString())))
                .hasMessageContaining("cannot read");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> TlsConfiguration.clientCa(tls(empty.toString()))).isInstanceOf(IllegalStateException.class);
        Path leaf = Files.writeString(dir.resolve("leaf.pem"),
                ClientPki.pem(ClientPki.authority("CN=ca").issue("CN=app").certificate()));
        assertThatThrownBy(() -> TlsConfiguration.clientCa(tls(leaf.toString()))).hasMessageContaining("CA certificates only");
    }

    private static CitadelProperties.Tls tls(String clientCa) {
        return new CitadelProperties.Tls(true, null, null, CitadelProperties.ClientAuth.WANT, clientCa);
    }
}
