package dev.citadel.platform.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.citadel.platform.config.DataDirectory;

/** Generates and reuses the self-signed certificate of the embedded default (ECDSA P-256, SHA-256). */
final class SelfSignedCertificates {

    private static final Duration VALIDITY = Duration.ofDays(825);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private SelfSignedCertificates() {}

    /** Loads the certificate in {@code dir}, generating (or renewing) it when missing or expiring. */
    static ServerCertificate loadOrCreate(Path dir, Clock clock) {
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        try {
            if (Files.exists(cert) && Files.exists(key)) {
                X509Certificate existing = read(cert);
                if (existing.getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE))) {
                    return new ServerCertificate(cert, key, fingerprint(existing), true);
                }
            }
            return generate(cert, key, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the TLS certificate", e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot prepare the TLS certificate", e);
        }
    }

    static String fingerprint(X509Certificate certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    static X509Certificate read(Path pem) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static ServerCertificate generate(Path cert, Path key, Clock clock)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair pair = generator.generateKeyPair();
        Instant now = clock.instant();
        X500Name subject = new X500Name("CN=Citadel self-signed,O=Citadel");
        var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(128, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(subjectNames()));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(holder.getEncoded()));
        DataDirectory.writePrivateFile(key, pem(pair.getPrivate()));
        DataDirectory.writePrivateFile(cert, pem(certificate));
        return new ServerCertificate(cert, key, fingerprint(certificate), true);
    }

    private static GeneralName[] subjectNames() {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        List<GeneralName> names = new ArrayList<>();
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && host.matches("[A-Za-z0-9.-]{1,253}")) {
                dns.add(host);
            }
        } catch (IOException ignored) {
            // a machine without a resolvable host name still gets localhost
        }
        dns.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        return names.toArray(GeneralName[]::new);
    }

    private static byte[] pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof java.security.PrivateKey privateKey
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(privateKey, null).generate()
                    : object);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
