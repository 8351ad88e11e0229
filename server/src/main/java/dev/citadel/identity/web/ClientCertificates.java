package dev.citadel.identity.web;

import java.security.cert.X509Certificate;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The TLS client certificate of a request's connection: the leaf of the chain the listener
 * verified against {@code citadel.tls.client-ca} during the handshake ({@code citadel.tls.client-auth=want}).
 * Never taken from a header: a proxy-forwarded certificate is not trusted.
 */
final class ClientCertificates {

    static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private ClientCertificates() {}

    static Optional<X509Certificate> of(HttpServletRequest request) {
        if (!request.isSecure() || !(request.getAttribute(ATTRIBUTE) instanceof X509Certificate[] chain)
                || chain.length == 0) {
            return Optional.empty();
        }
        return Optional.of(chain[0]);
    }
}
