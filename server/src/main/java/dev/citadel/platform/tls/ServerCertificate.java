package dev.citadel.platform.tls;

import java.nio.file.Path;

/**
 * The certificate the server presents: its PEM files and SHA-256 fingerprint (printed at start-up
 * so a client can pin a self-signed certificate instead of disabling verification).
 */
public record ServerCertificate(Path certificate, Path privateKey, String sha256Fingerprint, boolean selfSigned) {}
