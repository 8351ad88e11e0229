package dev.citadel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The three ways the CLI trusts a server: a pinned certificate, a CA certificate file (PKIX with
 * host-name verification), or the JDK's default trust store. There is no fourth, unverified way.
 */
final class Tls {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private Tls() {}

    static SSLContext pinned(Pin pin) {
        return context(new TrustManager[] {new PinningTrustManager(pin)});
    }

    /** Trusts the certificates in a PEM (or DER) file as trust anchors; host names are checked by the client. */
    static SSLContext caCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw CliException.usage("no certificate in " + file);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return context(factory.getTrustManagers());
        } catch (IOException | GeneralSecurityException e) {
            throw CliException.usage("cannot read the CA certificate " + file + ": " + e.getMessage());
        }
    }

    static SSLContext systemDefault() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCode.SERVER, "no TLS support in this JVM: " + e.getMessage());
        }
    }

    /**
     * The certificate the server presents, fetched for trust on first use. The handshake is always
     * aborted by a trust manager that records the chain and refuses it, so nothing is sent over
     * the unverified connection.
     */
    static X509Certificate fetchCertificate(URI server) {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        X509TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain != null && chain.length > 0) {
                    seen.set(chain[0]);
                }
                throw new CertificateException("recorded for trust on first use, not trusted");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client certificates are not trusted");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        int port = server.getPort() == -1 ? 443 : server.getPort();
        try (SSLSocket socket = (SSLSocket) context(new TrustManager[] {recorder}).getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(server.getHost(), port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            socket.startHandshake();
        } catch (SSLException expected) {
            // the recorder refused the chain; the certificate, if any, was recorded
        } catch (IOException e) {
            throw new CliException(ExitCode.SERVER, "cannot reach " + server + ": " + e.getMessage());
        }
        if (seen.get() == null) {
            throw new CliException(ExitCode.SERVER, "the server at " + server + " presented no certificate");
        }
        return seen.get();
    }

    private static SSLContext context(TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCode.SERVER, "no TLS support in this JVM: " + e.getMessage());
        }
    }
}
