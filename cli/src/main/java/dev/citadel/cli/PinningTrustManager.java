package dev.citadel.cli;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate: the one whose SHA-256 fingerprint is the pin, compared in
 * constant time. Everything else is refused — there is no fallback and no "accept anyway".
 *
 * <p>Security guarantees: the pin names the leaf certificate itself, so the host name and the
 * issuer are not checked (a pinned self-signed certificate has no issuer to trust); a certificate
 * that differs by one bit fails with {@link PinMismatchException}. Never used for client
 * certificates.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {

    private final Pin pin;

    PinningTrustManager(Pin pin) {
        this.pin = pin;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        if (!pin.matches(chain[0])) {
            throw new PinMismatchException(pin, Pin.of(chain[0]));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not trusted");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    /** The server presented another certificate than the pinned one. */
    static final class PinMismatchException extends CertificateException {

        private static final long serialVersionUID = 1L;

        PinMismatchException(Pin expected, Pin actual) {
            super("the server's certificate " + actual + " does not match the pinned " + expected);
        }
    }
}
