package dev.citadel.auditverifier;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.node.ObjectNode;

/**
 * The offline verifier's command line:
 * {@code verify-audit <export.jsonl> --key <public.pem> [--key …] [--trusted <checkpoint.json>]… [--json]}.
 * Prints a short report and exits 0 when the export verifies, 1 when it does not, and 2 on a usage
 * error (unknown option, missing file, unreadable key or trusted checkpoint), with one line on
 * standard error.
 *
 * <p>Security guarantees: the export is checked with the keys and trusted checkpoints named on the
 * command line only ({@link AuditExport#verify}); the keys inside the export are never used.
 */
public final class Main {

    static final int VALID = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = "usage: java -jar citadel-audit-verifier.jar verify-audit <export.jsonl>"
            + " --key <public.pem> [--key <public.pem>]... [--trusted <checkpoint.json>]... [--json]";

    static final String CERTIFICATE_USAGE = "usage: java -jar citadel-audit-verifier.jar verify-certificate"
            + " <certificate.json> --key <public.pem> [--key <public.pem>]...";

    /** The format of deletion certificates. */
    public static final String ERASURE_CERTIFICATE = "citadel-erasure-certificate/v1";

    private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_END = "-----END PUBLIC KEY-----";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE_TEXT);
            out.println(CERTIFICATE_USAGE);
            return VALID;
        }
        if (args.length > 0 && args[0].equals("verify-certificate")) {
            return verifyCertificate(args, out, err);
        }
        Options options;
        Map<String, PublicKey> keys;
        List<SignedCheckpoint> trusted;
        ChainVerifier.Report report;
        try {
            options = Options.parse(args);
            keys = readKeys(options.keys());
            trusted = readTrusted(options.trusted());
            report = verify(options.export(), keys, trusted);
        } catch (UsageException e) {
            err.println("verify-audit: " + e.getMessage());
            return USAGE;
        }
        if (options.json()) {
            out.println(AuditExport.JSON.writeValueAsString(json(report)));
        } else {
            print(options.export(), report, out);
        }
        return report.valid() ? VALID : INVALID;
    }

    /** {@code verify-certificate <file> --key <pem>…}: 0 when the certificate's signature holds. */
    private static int verifyCertificate(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        List<Path> keyFiles = new ArrayList<>();
        try {
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--key")) {
                    keyFiles.add(Options.file(args, ++i, "--key"));
                } else if (args[i].startsWith("-") || file != null) {
                    throw new UsageException("unexpected " + args[i] + "; " + CERTIFICATE_USAGE);
                } else {
                    file = Options.existing(Path.of(args[i]));
                }
            }
            if (file == null || keyFiles.isEmpty()) {
                throw new UsageException("give a certificate file and --key; " + CERTIFICATE_USAGE);
            }
            SignedDocument.Verification verification = SignedDocument.verify(read(file, "certificate"),
                    ERASURE_CERTIFICATE, readKeys(keyFiles));
            if (!verification.valid()) {
                out.println(file + ": INVALID — " + verification.problem());
                return INVALID;
            }
            out.println(file + ": VALID — signed by key " + verification.keyId());
            out.println(AuditExport.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(verification.document()));
            return VALID;
        } catch (UsageException e) {
            err.println("verify-certificate: " + e.getMessage());
            return USAGE;
        }
    }

    /** The parsed command line. */
    private record Options(Path export, List<Path> keys, List<Path> trusted, boolean json) {

        static Options parse(String[] args) throws UsageException {
            if (args.length == 0 || !args[0].equals("verify-audit")) {
                throw new UsageException(args.length == 0 ? USAGE_TEXT : "unknown command \"" + args[0] + "\"; "
                        + USAGE_TEXT);
            }
            Path export = null;
            List<Path> keys = new ArrayList<>();
            List<Path> trusted = new ArrayList<>();
            boolean json = false;
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--key" -> keys.add(file(args, ++i, arg));
                    case "--trusted" -> trusted.add(file(args, ++i, arg));
                    case "--json" -> json = true;
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new UsageException("unknown option " + arg);
                        }
                        if (export != null) {
                            throw new UsageException("more than one export given (" + export + ", " + arg + ")");
                        }
                        export = existing(Path.of(arg));
                    }
                }
            }
            if (export == null) {
                throw new UsageException("no export file given; " + USAGE_TEXT);
            }
            if (keys.isEmpty()) {
                throw new UsageException("no --key given: the audit signing public key is needed");
            }
            return new Options(export, keys, trusted, json);
        }

        private static Path file(String[] args, int index, String option) throws UsageException {
            if (index >= args.length) {
                throw new UsageException(option + " needs a file");
            }
            return existing(Path.of(args[index]));
        }

        private static Path existing(Path path) throws UsageException {
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new UsageException("no such file: " + path);
            }
            return path;
        }
    }

    /** Every PEM {@code PUBLIC KEY} block of every file, by key id. */
    private static Map<String, PublicKey> readKeys(List<Path> files) throws UsageException {
        Map<String, PublicKey> keys = new HashMap<>();
        for (Path file : files) {
            String text = read(file, "key");
            int begin = text.indexOf(PEM_BEGIN);
            if (begin < 0) {
                throw new UsageException("unreadable key " + file + ": no PEM PUBLIC KEY block");
            }
            while (begin >= 0) {
                int end = text.indexOf(PEM_END, begin);
                if (end < 0) {
                    throw new UsageException("unreadable key " + file + ": a PEM block has no end line");
                }
                try {
                    byte[] spki = AuditKeys.fromPem(text.substring(begin, end + PEM_END.length()));
                    keys.put(AuditKeys.keyId(spki), AuditKeys.parse(spki));
                } catch (GeneralSecurityException e) {
                    throw new UsageException("unreadable key " + file + ": not a PEM Ed25519 public key");
                }
                begin = text.indexOf(PEM_BEGIN, end);
            }
        }
        return keys;
    }

    private static List<SignedCheckpoint> readTrusted(List<Path> files) throws UsageException {
        List<SignedCheckpoint> trusted = new ArrayList<>();
        for (Path file : files) {
            try {
                trusted.add(AuditExport.parseCheckpoint(read(file, "trusted checkpoint")));
            } catch (IllegalArgumentException e) {
                throw new UsageException("unreadable trusted checkpoint " + file + ": " + e.getMessage());
            }
        }
        return trusted;
    }

    private static String read(Path file, String what) throws UsageException {
        try {
            if (Files.size(file) > AuditExport.MAX_LINE_BYTES) {
                throw new UsageException("unreadable " + what + " " + file + ": too large");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("unreadable " + what + " " + file + ": not a UTF-8 text file");
        }
    }

    private static ChainVerifier.Report verify(Path export, Map<String, PublicKey> keys,
            List<SignedCheckpoint> trusted) throws UsageException {
        try (Reader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            return AuditExport.verify(in, keys, trusted);
        } catch (IOException e) {
            throw new UsageException("cannot open " + export + ": " + e.getMessage());
        }
    }

    private static void print(Path export, ChainVerifier.Report report, PrintStream out) {
        out.println("audit export " + export + ": " + (report.valid() ? "VALID" : "INVALID"));
        out.println("  entries:             " + report.entries());
        if (report.valid()) {
            out.println("  head:                " + report.head());
        }
        SignedCheckpoint latest = report.latestCheckpoint();
        if (latest == null) {
            out.println("  latest checkpoint:   none verified (no signature vouches for these entries)");
        } else {
            out.println("  latest checkpoint:   size " + latest.size() + ", root " + b64(latest.root()) + ", time "
                    + latest.time() + ", key " + latest.keyId() + " (tenant " + latest.tenant() + ")");
            if (report.valid() && report.entries() > latest.size()) {
                out.println("                       the " + (report.entries() - latest.size())
                        + " entries after it are protected by the hash chain only");
            }
        }
        if (!report.valid()) {
            out.println("  first invalid entry: " + report.firstInvalidEntry());
            out.println("  problem:             " + printable(report.problem()));
        }
    }

    private static ObjectNode json(ChainVerifier.Report report) {
        ObjectNode json = AuditExport.JSON.createObjectNode();
        json.put("valid", report.valid());
        json.put("entries", report.entries());
        json.put("head", report.head());
        SignedCheckpoint latest = report.latestCheckpoint();
        if (latest == null) {
            json.putNull("latestCheckpoint");
        } else {
            ObjectNode checkpoint = json.putObject("latestCheckpoint");
            checkpoint.put("size", latest.size());
            checkpoint.put("root", b64(latest.root()));
            checkpoint.put("time", latest.time());
            checkpoint.put("keyId", latest.keyId());
        }
        json.put("firstInvalidEntry", report.firstInvalidEntry());
        json.put("problem", report.problem());
        return json;
    }

    /** Text from a file may hold terminal control sequences: shown escaped, never sent raw. */
    static String printable(String text) {
        StringBuilder printable = new StringBuilder();
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                printable.append(String.format("\\u%04x", c));
            } else {
                printable.appendCodePoint(c);
            }
        });
        return printable.toString();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A command-line mistake: reported in one line, exit status 2. */
    private static final class UsageException extends Exception {

        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
