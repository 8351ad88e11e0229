package dev.citadel.registry.scan;

import dev.citadel.platform.errors.CitadelException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Recognises, by their first bytes, the well-known formats that can run code when loaded (pickle and
 * what wraps it: joblib, PyTorch archives; Java serialization) and zip archives, so a rejection names
 * the format. This is labelling, not the safety check: anything it misses still has to parse as ONNX.
 * Nothing is deserialized, and zip entries are listed, never written anywhere.
 */
final class ContainerSniffer {

    /** Stop listing a zip after this much inflated content; it is rejected either way. */
    private static final long ZIP_INFLATE_BUDGET = 64L << 20;
    private static final int ZIP_MAX_ENTRIES = 10_000;
    /** A pickle GLOBAL ({@code c}) or INST ({@code i}) opcode: module and name, each ended by a newline. */
    private static final Pattern PICKLE_GLOBAL = Pattern.compile("[ci][A-Za-z_][\\w.]{0,200}\n[A-Za-z_][\\w.]{0,200}\n");
    /** How far into a headerless pickle to look for an import; a miss only changes the rule's name. */
    private static final int TEXT_PICKLE_WINDOW = 1 << 20;
    private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);

    private ContainerSniffer() {}

    /** Throws the matching rule's rejection if {@code bytes} start like a refused format. */
    static void rejectKnownUnsafeFormats(byte[] bytes) {
        if (isBinaryPickle(bytes)) {
            throw Rule.PICKLE.reject("The file is a Python pickle, which can run arbitrary code when loaded; "
                    + "export the model to ONNX instead.");
        }
        if (startsWith(bytes, 'P', 'K', 3, 4) || startsWith(bytes, 'P', 'K', 5, 6)) {
            throw zipRejection(bytes);
        }
        if (isZlib(bytes) || startsWith(bytes, 'Z', 'F')) {
            throw Rule.JOBLIB.reject("The file is a compressed joblib pickle, which can run arbitrary code "
                    + "when loaded; export the model to ONNX instead.");
        }
        if (startsWith(bytes, 0xAC, 0xED, 0x00, 0x05)) {
            throw Rule.JAVA_SERIALIZATION.reject("The file is a serialized Java object, which can run code when "
                    + "deserialized; export the model to ONNX instead.");
        }
        if (isTextPickle(bytes)) {
            throw Rule.PICKLE.reject("The file is a Python pickle (protocol 0 or 1), which can run arbitrary code "
                    + "when loaded; export the model to ONNX instead.");
        }
    }

    /** Protocols 2 to 5 open with PROTO and the protocol number. */
    private static boolean isBinaryPickle(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xFF) == 0x80 && bytes[1] >= 2 && bytes[1] <= 5;
    }

    /**
     * Protocols 0 and 1 have no header. A pickle that imports something starts with that import
     * (GLOBAL or INST), or with a container opcode, ends with STOP and imports somewhere; an ONNX file
     * cannot start with {@code c} or {@code i} (no such ModelProto field) and only a hand-ordered one
     * could start with {@code (}.
     */
    private static boolean isTextPickle(byte[] bytes) {
        String head = latin1(bytes, 0, Math.min(bytes.length, 512));
        if (PICKLE_GLOBAL.matcher(head).lookingAt()) {
            return true;
        }
        boolean containerStart = "(]})".indexOf(bytes[0]) >= 0;
        return containerStart && bytes[bytes.length - 1] == '.'
                && PICKLE_GLOBAL.matcher(latin1(bytes, 0, Math.min(bytes.length, TEXT_PICKLE_WINDOW))).find();
    }

    /** zlib's header: deflate with a 32 KiB window (0x78) and one of the four standard levels. */
    private static boolean isZlib(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xFF) != 0x78) {
            return false;
        }
        int flags = bytes[1] & 0xFF;
        return flags == 0x01 || flags == 0x5E || flags == 0x9C || flags == 0xDA;
    }

    private static CitadelException zipRejection(byte[] bytes) {
        boolean pytorch = false;
        long inflated = 0;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes), StandardCharsets.ISO_8859_1)) {
            byte[] buffer = new byte[8192];
            ZipEntry entry;
            while (entries++ < ZIP_MAX_ENTRIES && inflated < ZIP_INFLATE_BUDGET && (entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (escapesItsFolder(name)) {
                    return Rule.ARCHIVE_PATH_TRAVERSAL.reject("The file is a zip archive with an entry whose path "
                            + "leaves the extraction folder (\"..\", an absolute path, a drive letter or a backslash).");
                }
                pytorch |= name.equals("data.pkl") || name.endsWith("/data.pkl");
                // read the entry here rather than let getNextEntry skip it, so the inflated total is bounded
                for (int n; inflated < ZIP_INFLATE_BUDGET && (n = zip.read(buffer)) > 0; ) {
                    inflated += n;
                }
            }
        } catch (IOException | IllegalArgumentException malformed) {
            // a damaged archive is still an archive; name what was found so far
        }
        if (pytorch) {
            return Rule.PYTORCH_ARCHIVE.reject("The file is a PyTorch archive, whose data.pkl is a pickle that can run "
                    + "arbitrary code when loaded; export the model to ONNX instead.");
        }
        return Rule.ZIP_ARCHIVE.reject("The file is a zip archive; upload the .onnx model file itself, not an archive.");
    }

    /** Names that would write outside the folder a naive extractor unpacks into (zip-slip). */
    static boolean escapesItsFolder(String name) {
        if (name.startsWith("/") || name.indexOf('\\') >= 0 || DRIVE_LETTER.matcher(name).matches()) {
            return true;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String latin1(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
