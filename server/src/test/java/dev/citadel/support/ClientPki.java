package dev.citadel.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A client-certificate PKI made by the test JVM: one CA whose bundle the suite configures as
 * {@code citadel.tls.client-ca}, client certificates it issues, and certificates of a CA Citadel
 * does not trust. Each {@link Credential} makes an {@link Api} that presents it on every connection.
 */
public final class ClientPki {

    private static Authority trusted;

    private ClientPki() {}

    /** A certificate with its key. */
    public record Credential(X509Certificate certificate, PrivateKey key) {

        /** A client of the running server that presents this certificate, whatever CAs the server names. */
        public Api api(URI base, Path serverCertificate) {
            return new Api(base, Api.trusting(serverCertificate, new KeyManager[] {new Presenting(this)}));
        }
    }

    /** A CA: its certificate and key. */
    public record Authority(X509Certificate certificate, PrivateKey key, Path bundle) {

        public Credential issue(String subjectDn) {
            return issue(subjectDn, null);
        }

        /** A server certificate for {@code dnsName} (its only subject alternative name). */
        public Credential issueServer(String dnsName) {
            return issue("CN=" + dnsName, dnsName);
        }

        private Credential issue(String subjectDn, String serverName) {
            try {
                KeyPair pair = ecKeyPair();
                Instant now = Instant.now();
                var builder = new JcaX509v3CertificateBuilder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                        serial(), Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(2))),
                        name(subjectDn), pair.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                if (serverName == null) {
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                } else {
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                    builder.addExtension(Extension.subjectAlternativeName, false, new org.bouncycastle.asn1.x509.GeneralNames(
                            new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.dNSName, serverName)));
                }
                return new Credential(ClientPki.certificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key))
                        .getEncoded()), pair.getPrivate());
            } catch (Exception e) {
                throw new IllegalStateException("cannot issue a client certificate", e);
            }
        }
    }

    /** The CA whose bundle the suite's server trusts for client certificates. */
    public static synchronized Authority trusted() {
        if (trusted == null) {
            trusted = authority("CN=Citadel test client CA,O=Citadel tests");
        }
        return trusted;
    }

    /** The PEM bundle of {@link #trusted()}, for {@code citadel.tls.client-ca}. */
    public static Path caFile() {
        return trusted().bundle();
    }

    /** A new CA nobody configured: its certificates must be refused. */
    public static Authority untrusted() {
        return authority("CN=Citadel test rogue CA,O=Somebody else");
    }

    /** A new CA of this name (for other TLS peers in tests, such as a PostgreSQL server and its clients). */
    public static Authority authority(String subjectDn) {
        try {
            KeyPair pair = ecKeyPair();
            Instant now = Instant.now();
            X500Name subject = name(subjectDn);
            var builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(30))), subject, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate certificate = certificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(pair.getPrivate())).getEncoded());
            Path bundle = Files.createTempFile("citadel-client-ca-", ".pem");
            Files.writeString(bundle, pem(certificate));
            bundle.toFile().deleteOnExit();
            return new Authority(certificate, pair.getPrivate(), bundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a test CA", e);
        }
    }

    /** PEM text of a certificate or (as PKCS#8) a private key. */
    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate() : object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The name as the JDK encodes an RFC 4514 string (the form the API takes), so both sides agree on RDN order. */
    private static X500Name name(String rfc4514) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(rfc4514).getEncoded());
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(96, new SecureRandom());
    }

    private static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    /** Presents one certificate whatever the server asks for (so an untrusted one reaches the server too). */
    private static final class Presenting extends X509ExtendedKeyManager {

        private static final String ALIAS = "client";
        private final Credential credential;

        Presenting(Credential credential) {
            this.credential = credential;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {credential.certificate()};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return credential.key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
