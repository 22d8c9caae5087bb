package io.irisx.core.secret;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AES-256 keys that seal secrets at rest, each under a key id, and which of them seals new values; immutable and
 * thread-safe.
 *
 * <p>Every sealed value names the key that sealed it, so keys can be rotated: make the new key the primary and keep
 * the old ones, which then only open the values they sealed, until {@link SecretSealer#needsResealing(String)} finds
 * none left. A key id is 1 to 32 characters of ASCII letters, digits, {@code _} and {@code -}; a key is 32 bytes.
 *
 * <p>Keys come from the host's own secret store through {@link #builder()}, {@link #fromBase64(String, String)} or
 * {@link #parse(String)}, whose text format is one key per line, the first key being the primary:
 * <pre>
 * # comments and blank lines are ignored
 * key-2025=&lt;32 bytes in base64&gt;
 * key-2024=&lt;32 bytes in base64&gt;
 * </pre>
 * A key can be made with {@code openssl rand -base64 32}. The embedded default, {@link #loadOrCreate(Path)}, keeps a
 * generated key in a file of that format beside the database.
 *
 * <p>{@link #toString()} names the key ids only; key material is never printed nor logged.
 */
public final class SealingKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SealingKeys.class);

    /** The number of bytes of an AES-256 key. */
    public static final int KEY_BYTES = 32;

    /** The key id {@link #loadOrCreate(Path)} gives the key it generates. */
    public static final String GENERATED_KEY_ID = "embedded";

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final String GENERATED_MARKER = "# irisx:generated";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object FILE_LOCK = new Object();
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    private final Map<String, SecretKeySpec> keys;
    private final String primaryKeyId;

    private SealingKeys(Map<String, SecretKeySpec> keys, String primaryKeyId) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        this.primaryKeyId = primaryKeyId;
    }

    /** A builder with no keys yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** One new random key under {@code keyId}, which is then the primary; the key lives only in this object. */
    public static SealingKeys generate(String keyId) {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        try {
            return builder().key(keyId, key).build();
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** One key under {@code keyId}, given as 32 bytes in base64 (standard or URL-safe, padding optional). */
    public static SealingKeys fromBase64(String keyId, String base64Key) {
        return builder().key(keyId, base64Key).build();
    }

    /**
     * Keys in the text format described above: one {@code keyId=base64key} per line, the first being the primary;
     * blank lines and lines starting with {@code #} are ignored.
     *
     * @throws IllegalArgumentException when {@code text} is missing ({@code null}, as {@code System.getenv} gives
     *     for an unset variable) or holds no key, naming the line that is not a key line, or the key id whose key
     *     is invalid
     */
    public static SealingKeys parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("the sealing keys text is missing (null: is the environment variable,"
                    + " such as IRISX_SEALING_KEYS, set?); give one key per line as <keyId>=<32 bytes in base64>,"
                    + " e.g. key-1=<the output of 'openssl rand -base64 32'>");
        }
        Builder builder = builder();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                // The line may hold key material, so it is named by number only.
                throw new IllegalArgumentException("sealing keys line " + (i + 1)
                        + " is not of the form <keyId>=<base64 key>");
            }
            String keyId = line.substring(0, eq).strip();
            if (!isValidKeyId(keyId)) {
                // Not echoed: a malformed line may be a key itself.
                throw new IllegalArgumentException("sealing keys line " + (i + 1)
                        + " has an invalid key id: expected 1-32 characters of letters, digits, '_' or '-'");
            }
            builder.key(keyId, line.substring(eq + 1).strip());
        }
        if (builder.keys.isEmpty()) {
            throw new IllegalArgumentException("sealing keys text holds no key: expected lines <keyId>=<base64 key>");
        }
        return builder.build();
    }

    /**
     * The keys in {@code file}, generating one there first when the file does not exist: the embedded default, for a
     * host that configured no keys.
     *
     * <p>A new file is written atomically (a complete file or none, never replacing one another process wrote in the
     * meantime) and, where the file system has POSIX permissions, readable by its owner only. While a generated key
     * is in use, a warning is logged once per file: anyone who can read the file can open the secrets, and a host
     * should configure a key from its secret store, keeping the generated one as a second key so that the values it
     * sealed still open.
     *
     * @throws SecretSealingException ({@link SecretSealingException.Reason#KEY_FILE}) when the file cannot be read,
     *         written or parsed
     */
    public static SealingKeys loadOrCreate(Path file) {
        Objects.requireNonNull(file, "file");
        Path path = file.toAbsolutePath().normalize();
        synchronized (FILE_LOCK) {
            try {
                if (Files.notExists(path)) {
                    create(path);
                }
                return load(path);
            } catch (IOException e) {
                throw new SecretSealingException(SecretSealingException.Reason.KEY_FILE,
                        "could not read or create the sealing key file " + path + ": " + e, e);
            }
        }
    }

    /** The id of the key that seals new values. */
    public String primaryKeyId() {
        return primaryKeyId;
    }

    /** The ids of all keys, in the order they were given. */
    public Set<String> keyIds() {
        return keys.keySet();
    }

    /** Whether a key with {@code keyId} is among these keys. */
    public boolean contains(String keyId) {
        return keys.containsKey(keyId);
    }

    /** Names the key ids and the primary; never the keys. */
    @Override
    public String toString() {
        return "SealingKeys[primary=" + primaryKeyId + ", keyIds=" + keys.keySet() + "]";
    }

    SecretKeySpec key(String keyId) {
        return keys.get(keyId);
    }

    static boolean isValidKeyId(String keyId) {
        return keyId != null && KEY_ID.matcher(keyId).matches();
    }

    /** The keys in the text format, primary first; holds key material. */
    String toText() {
        StringBuilder text = new StringBuilder();
        appendLine(text, primaryKeyId);
        for (String keyId : keys.keySet()) {
            if (!keyId.equals(primaryKeyId)) {
                appendLine(text, keyId);
            }
        }
        return text.toString();
    }

    private void appendLine(StringBuilder text, String keyId) {
        text.append(keyId).append('=').append(Base64.getEncoder().encodeToString(keys.get(keyId).getEncoded()))
                .append('\n');
    }

    private static SealingKeys load(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        SealingKeys keys;
        try {
            keys = parse(text);
        } catch (IllegalArgumentException e) {
            throw new SecretSealingException(SecretSealingException.Reason.KEY_FILE,
                    "the sealing key file " + path + " is malformed: " + e.getMessage(), e);
        }
        boolean generated = keys.primaryKeyId().equals(GENERATED_KEY_ID)
                && text.lines().anyMatch(line -> line.strip().equals(GENERATED_MARKER));
        boolean exposed = isReadableByOthers(path);
        if ((generated || exposed) && WARNED.add(path)) {
            if (generated) {
                LOG.warn("IRISX seals secrets with a key it generated and keeps in {}: anyone who can read that file "
                        + "can open them. Configure a key from your secret store (SealingKeys.parse or fromBase64) "
                        + "as the primary, and keep the key '{}' of that file as a second key so values it sealed "
                        + "still open.", path, GENERATED_KEY_ID);
            }
            if (exposed) {
                LOG.warn("The sealing key file {} is readable by other users than its owner; restrict it to the "
                        + "owner (chmod 600).", path);
            }
        }
        return keys;
    }

    private static void create(Path path) throws IOException {
        Path dir = path.getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        String prefix = "." + path.getFileName() + ".";
        Path temp = posix
                ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, prefix, ".tmp");
        byte[] bytes = (GENERATED_MARKER + "\n"
                + "# Sealing key generated by IRISX for the embedded default. The first key seals new secrets;\n"
                + "# the others only open the secrets they sealed. Keep this file as private as the database.\n"
                + generate(GENERATED_KEY_ID).toText()).getBytes(StandardCharsets.UTF_8);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            publish(temp, path);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Files.deleteIfExists(temp);
        }
    }

    /** Puts the complete temporary file in place, unless another process has already created the key file. */
    private static void publish(Path temp, Path path) throws IOException {
        if (link(temp, path)) {
            return;
        }
        try {
            // A move without REPLACE_EXISTING refuses a key file created in the meantime, where an atomic rename
            // would silently replace it.
            Files.move(temp, path);
        } catch (FileAlreadyExistsException e) {
            // Another process created the key file first: its key is the one every process uses.
            LOG.debug("{} was created by another process meanwhile; keeping it", path);
        }
    }

    /**
     * Links the key file to the complete temporary file: a hard link appears atomically and, unlike a rename, never
     * replaces a file created in the meantime. True when the key file is in place, linked now or created by another
     * process first; false when the file system cannot link it, for the caller to move the file instead.
     */
    private static boolean link(Path temp, Path path) {
        try {
            Files.createLink(path, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return true;
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("Hard links are not available for {} ({}); moving the file into place instead", path,
                    e.toString());
            return false;
        }
    }

    private static boolean isReadableByOthers(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            return false;
        }
        Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        return permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ);
    }

    /**
     * Builds {@link SealingKeys}; each setter checks its value at once and names it (never printing key material).
     * Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        private String primaryKeyId;

        private Builder() {
        }

        /**
         * Adds {@code key} (32 bytes, copied) under {@code keyId}. The first key added is the primary unless
         * {@link #primary(String)} names another.
         */
        public Builder key(String keyId, byte[] key) {
            checkKeyId(keyId);
            Objects.requireNonNull(key, "key");
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("key for keyId '" + keyId + "' must be " + KEY_BYTES
                        + " bytes (AES-256), was " + key.length + " bytes");
            }
            if (keys.containsKey(keyId)) {
                throw new IllegalArgumentException("keyId '" + keyId + "' is given twice; each key needs its own id");
            }
            keys.put(keyId, new SecretKeySpec(key, "AES"));
            return this;
        }

        /** Adds a key given as 32 bytes in base64 (standard or URL-safe, padding optional) under {@code keyId}. */
        public Builder key(String keyId, String base64Key) {
            checkKeyId(keyId);
            Objects.requireNonNull(base64Key, "base64Key");
            byte[] key;
            try {
                boolean urlSafe = base64Key.indexOf('-') >= 0 || base64Key.indexOf('_') >= 0;
                key = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(base64Key);
            } catch (IllegalArgumentException e) {
                // The decoder's message quotes a character of the key, so it is not passed on.
                throw new IllegalArgumentException("key for keyId '" + keyId + "' is not valid base64 (expected "
                        + KEY_BYTES + " bytes in base64, e.g. from 'openssl rand -base64 32')");
            }
            try {
                return key(keyId, key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }

        /** The id of the key that seals new values; it must be among the keys by {@link #build()}. */
        public Builder primary(String keyId) {
            checkKeyId(keyId);
            this.primaryKeyId = keyId;
            return this;
        }

        /**
         * The keys; the builder may be used again.
         *
         * @throws IllegalStateException when no key was added, or the primary is not among the keys
         */
        public SealingKeys build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("keys: at least one key is required");
            }
            String primary = primaryKeyId != null ? primaryKeyId : keys.keySet().iterator().next();
            if (!keys.containsKey(primary)) {
                throw new IllegalStateException("primary must be one of the key ids " + keys.keySet() + ", was '"
                        + primary + "'");
            }
            return new SealingKeys(keys, primary);
        }

        private static void checkKeyId(String keyId) {
            Objects.requireNonNull(keyId, "keyId");
            if (!isValidKeyId(keyId)) {
                throw new IllegalArgumentException("keyId must be 1-32 characters of letters, digits, '_' or '-', was '"
                        + keyId.replace("\n", "\\n").replace("\r", "\\r") + "'");
            }
        }
    }
}
