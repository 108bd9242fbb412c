package io.cortex.core.identity;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * A key pair on disk. A coldkey is stored encrypted: Argon2id (Bouncy Castle's, with the {@link Argon2#DEFAULT}
 * parameters and a random salt) derives an AES-256-GCM key from the password, which seals the 32-byte seed with
 * the address as associated data. The file records its KDF and the KDF's parameters, so the defaults can change
 * and every file still opens with the parameters it was written with, including files from before Argon2
 * (PBKDF2-HMAC-SHA256). The address is stored in the clear so wallets can be listed without a password. A hotkey
 * is stored unencrypted, as Bittensor does. The file is a small properties file, readable and diffable.
 *
 * <p>Every file is written owner-only (0600, on a filesystem with POSIX permissions) through a temporary file
 * moved into place, so it is never seen half written or readable by others; directories it has to create are
 * created 0700. An existing file is kept unless the caller asks for {@link IfExists#REPLACE}.
 */
public final class WalletFile {
    /** Key of the scheme that seals the seed: {@link #ARGON2ID}, {@link #PBKDF2} or {@link #NONE}. */
    public static final String ENCRYPTION = "encryption";
    public static final String ARGON2ID = "Argon2id/AES-256-GCM";
    /** The scheme before Argon2id: read, never written. */
    public static final String PBKDF2 = "PBKDF2WithHmacSHA256/AES-256-GCM";
    public static final String NONE = "none";
    public static final String ARGON2_MEMORY_KIB = "argon2-memory-kib";
    public static final String ARGON2_ITERATIONS = "argon2-iterations";
    public static final String ARGON2_PARALLELISM = "argon2-parallelism";
    public static final String ARGON2_VERSION = "argon2-version";

    public static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

    private static final String PBKDF2_ITERATIONS = "iterations";
    private static final int SALT_BYTES = 16;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    /** Refuse a file that asks for more than 4 GiB: a damaged or hostile file, not a wallet. */
    private static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;

    private WalletFile() {
    }

    /**
     * Argon2id's cost, as recorded in a coldkey file. {@link #DEFAULT} is RFC 9106's second recommended option
     * (64 MiB, 3 passes, 4 lanes), for machines where the first (2 GiB) is too much; one unlock takes a few
     * hundred milliseconds.
     */
    public record Argon2(int memoryKib, int iterations, int parallelism) {
        public static final Argon2 DEFAULT = new Argon2(64 * 1024, 3, 4);

        public Argon2 {
            if (parallelism < 1 || parallelism > 255 || iterations < 1 || memoryKib < 8 * parallelism
                    || memoryKib > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("Argon2id parameters out of range: " + memoryKib + " KiB, "
                        + iterations + " passes, " + parallelism + " lanes");
            }
        }
    }

    /** What a write does when the file exists already. */
    public enum IfExists {
        /** Fail with {@link FileAlreadyExistsException}, leaving the file as it is. */
        REFUSE,
        /** Replace it, atomically. */
        REPLACE
    }

    /** Writes the key pair encrypted under {@code password}; refuses to overwrite an existing file. */
    public static void writeEncrypted(Path file, Keypair keys, char[] password) throws IOException {
        writeEncrypted(file, keys, password, IfExists.REFUSE);
    }

    /** Writes the key pair encrypted under {@code password}, sealed with Argon2id at {@link Argon2#DEFAULT}. */
    public static void writeEncrypted(Path file, Keypair keys, char[] password, IfExists ifExists) throws IOException {
        writeEncrypted(file, keys, password, Argon2.DEFAULT, ifExists);
    }

    /** With another cost: how a test shows that a file opens with the parameters it records. */
    static void writeEncrypted(Path file, Keypair keys, char[] password, Argon2 cost, IfExists ifExists)
            throws IOException {
        byte[] salt = random(SALT_BYTES);
        byte[] iv = random(IV_BYTES);
        byte[] key = argon2id(password, salt, cost);
        byte[] seed = keys.seed();
        byte[] sealed;
        try {
            sealed = aesGcm(Cipher.ENCRYPT_MODE, key, iv, keys.address()).doFinal(seed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(seed, (byte) 0);
        }
        Properties p = new Properties();
        p.setProperty("address", keys.address().toString());
        p.setProperty(ENCRYPTION, ARGON2ID);
        p.setProperty(ARGON2_MEMORY_KIB, Integer.toString(cost.memoryKib()));
        p.setProperty(ARGON2_ITERATIONS, Integer.toString(cost.iterations()));
        p.setProperty(ARGON2_PARALLELISM, Integer.toString(cost.parallelism()));
        p.setProperty(ARGON2_VERSION, Integer.toString(Argon2Parameters.ARGON2_VERSION_13));
        p.setProperty("salt", b64(salt));
        p.setProperty("iv", b64(iv));
        p.setProperty("sealed-seed", b64(sealed));
        store(file, p, "Cortex coldkey: the seed is encrypted; keep the password", ifExists);
    }

    /** Writes the key pair unencrypted (hotkeys); refuses to overwrite an existing file. */
    public static void writePlain(Path file, Keypair keys) throws IOException {
        writePlain(file, keys, IfExists.REFUSE);
    }

    /** Writes the key pair unencrypted (hotkeys). */
    public static void writePlain(Path file, Keypair keys, IfExists ifExists) throws IOException {
        Properties p = new Properties();
        p.setProperty("address", keys.address().toString());
        p.setProperty(ENCRYPTION, NONE);
        byte[] seed = keys.seed();
        p.setProperty("seed", b64(seed));
        Arrays.fill(seed, (byte) 0);
        store(file, p, "Cortex hotkey: unencrypted", ifExists);
    }

    /** The address a wallet file holds, without a password. */
    public static Address address(Path file) throws IOException {
        return Address.parse(required(load(file), "address", file));
    }

    /** Whether the file needs a password. */
    public static boolean encrypted(Path file) throws IOException {
        return !NONE.equals(load(file).getProperty(ENCRYPTION));
    }

    /**
     * Reads the key pair; {@code password} is ignored for an unencrypted file.
     *
     * @throws WrongPasswordException when the password does not open an encrypted file
     */
    public static Keypair read(Path file, char[] password) throws IOException {
        Properties p = load(file);
        Address address = Address.parse(required(p, "address", file));
        String encryption = required(p, ENCRYPTION, file);
        Keypair keys = switch (encryption) {
            case NONE -> Keypair.fromSeed(Base64.getDecoder().decode(required(p, "seed", file)));
            case ARGON2ID -> open(file, p, address, argon2id(password, salt(p, file), argon2(p, file)));
            case PBKDF2 -> open(file, p, address, pbkdf2(password, salt(p, file), number(p, PBKDF2_ITERATIONS, file)));
            default -> throw new IOException(file + " is sealed with '" + encryption
                    + "', which this version of Cortex cannot open (it knows " + ARGON2ID + " and " + PBKDF2 + ")");
        };
        if (!keys.address().equals(address)) {
            throw new IOException(file + " is damaged: its key does not match its address");
        }
        return keys;
    }

    /**
     * The backup of a key pair: its 32-byte seed (the Ed25519 private key) in hex after {@code 0x}, as Substrate's
     * {@code subkey} shows a secret seed. Whoever holds it holds the key: show it to its owner once, never log it.
     */
    public static String backup(Keypair keys) {
        byte[] seed = keys.seed();
        try {
            return "0x" + HexFormat.of().formatHex(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The key pair of a {@link #backup}; the message of a malformed one never repeats it. */
    public static Keypair fromBackup(String backup) {
        String hex = backup.strip();
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        if (hex.length() != 2 * Keypair.SEED_LENGTH || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("a backup is 0x and " + 2 * Keypair.SEED_LENGTH
                    + " hex digits (the 32-byte seed); this one is not");
        }
        byte[] seed = HexFormat.of().parseHex(hex);
        try {
            return Keypair.fromSeed(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The password does not open the wallet file. */
    public static final class WrongPasswordException extends IOException {
        public WrongPasswordException(Path file) {
            super("wrong password for " + file);
        }
    }

    /** Creates the missing directories up to {@code dir}, each 0700 where the filesystem has POSIX permissions. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (posix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static Keypair open(Path file, Properties p, Address address, byte[] key) throws IOException {
        byte[] iv = Base64.getDecoder().decode(required(p, "iv", file));
        byte[] sealed = Base64.getDecoder().decode(required(p, "sealed-seed", file));
        byte[] seed = null;
        try {
            seed = aesGcm(Cipher.DECRYPT_MODE, key, iv, address).doFinal(sealed);
            return Keypair.fromSeed(seed);
        } catch (AEADBadTagException e) {
            throw new WrongPasswordException(file);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot decrypt " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (seed != null) {
                Arrays.fill(seed, (byte) 0);
            }
        }
    }

    private static Cipher aesGcm(int mode, byte[] key, byte[] iv, Address address) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(address.bytes());
        return cipher;
    }

    private static byte[] argon2id(char[] password, byte[] salt, Argon2 cost) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build());
        byte[] key = new byte[KEY_BYTES];
        generator.generateBytes(password(password), key);
        return key;
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) throws IOException {
        PBEKeySpec spec = new PBEKeySpec(password(password), salt, iterations, 8 * KEY_BYTES);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static char[] password(char[] password) {
        if (password == null) {
            throw new IllegalArgumentException("an encrypted wallet file needs a password");
        }
        return password;
    }

    private static Argon2 argon2(Properties p, Path file) throws IOException {
        int version = number(p, ARGON2_VERSION, file);
        if (version != Argon2Parameters.ARGON2_VERSION_13) {
            throw new IOException(file + " uses Argon2 version " + version + "; only " + Argon2Parameters.ARGON2_VERSION_13
                    + " (1.3) is known");
        }
        try {
            return new Argon2(number(p, ARGON2_MEMORY_KIB, file), number(p, ARGON2_ITERATIONS, file),
                    number(p, ARGON2_PARALLELISM, file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    private static byte[] salt(Properties p, Path file) throws IOException {
        return Base64.getDecoder().decode(required(p, "salt", file));
    }

    private static int number(Properties p, String key, Path file) throws IOException {
        String v = required(p, key, file);
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IOException(file + " is damaged: " + key + " is not a number: " + v, e);
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** Writes a 0600 temporary file beside {@code file}, forces it to disk, then moves it into place. */
    private static void store(Path file, Properties p, String comment, IfExists ifExists) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        createPrivateDirectories(dir);
        if (ifExists == IfExists.REFUSE && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a key file is never overwritten unless asked");
        }
        StringWriter text = new StringWriter();
        p.store(text, comment);
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        FileAttribute<?>[] ownerOnly = posix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (ifExists == IfExists.REPLACE) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(temporary, target); // checks again, just before the rename
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Files.deleteIfExists(temporary);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String required(Properties p, String key, Path file) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException(file + " is not a Cortex wallet file (no " + key + ")");
        }
        return v;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
