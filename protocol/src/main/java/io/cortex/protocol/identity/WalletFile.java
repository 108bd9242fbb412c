package io.cortex.protocol.identity;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key pair on disk. A coldkey is stored encrypted: PBKDF2-HMAC-SHA256 (600 000 iterations, random salt)
 * derives an AES-256-GCM key from the password, which seals the 32-byte seed; the address is stored in the
 * clear so wallets can be listed without a password. A hotkey is stored unencrypted, as Bittensor does.
 * The file is a small properties file, readable and diffable.
 */
public final class WalletFile {
    private static final int ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private WalletFile() {
    }

    /** Writes the key pair encrypted under {@code password}. */
    public static void writeEncrypted(Path file, Keypair keys, char[] password) throws IOException {
        byte[] salt = random(SALT_BYTES);
        byte[] iv = random(IV_BYTES);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(password, salt, ITERATIONS), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(keys.address().bytes());
            sealed = cipher.doFinal(keys.seed());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
        Properties p = new Properties();
        p.setProperty("address", keys.address().toString());
        p.setProperty("encryption", "PBKDF2WithHmacSHA256/AES-256-GCM");
        p.setProperty("iterations", Integer.toString(ITERATIONS));
        p.setProperty("salt", b64(salt));
        p.setProperty("iv", b64(iv));
        p.setProperty("sealed-seed", b64(sealed));
        store(file, p, "Cortex coldkey: the seed is encrypted; keep the password");
    }

    /** Writes the key pair unencrypted (hotkeys). */
    public static void writePlain(Path file, Keypair keys) throws IOException {
        Properties p = new Properties();
        p.setProperty("address", keys.address().toString());
        p.setProperty("encryption", "none");
        p.setProperty("seed", b64(keys.seed()));
        store(file, p, "Cortex hotkey: unencrypted");
    }

    /** The address a wallet file holds, without a password. */
    public static Address address(Path file) throws IOException {
        return Address.parse(required(load(file), "address", file));
    }

    /** Whether the file needs a password. */
    public static boolean encrypted(Path file) throws IOException {
        return !"none".equals(load(file).getProperty("encryption"));
    }

    /**
     * Reads the key pair; {@code password} is ignored for an unencrypted file.
     *
     * @throws WrongPasswordException when the password does not open an encrypted file
     */
    public static Keypair read(Path file, char[] password) throws IOException {
        Properties p = load(file);
        Address address = Address.parse(required(p, "address", file));
        Keypair keys;
        if ("none".equals(p.getProperty("encryption"))) {
            keys = Keypair.fromSeed(Base64.getDecoder().decode(required(p, "seed", file)));
        } else {
            byte[] salt = Base64.getDecoder().decode(required(p, "salt", file));
            byte[] iv = Base64.getDecoder().decode(required(p, "iv", file));
            byte[] sealed = Base64.getDecoder().decode(required(p, "sealed-seed", file));
            int iterations = Integer.parseInt(required(p, "iterations", file));
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key(password, salt, iterations), new GCMParameterSpec(TAG_BITS, iv));
                cipher.updateAAD(address.bytes());
                keys = Keypair.fromSeed(cipher.doFinal(sealed));
            } catch (AEADBadTagException e) {
                throw new WrongPasswordException(file);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot decrypt " + file + ": " + e.getMessage(), e);
            }
        }
        if (!keys.address().equals(address)) {
            throw new IOException(file + " is damaged: its key does not match its address");
        }
        return keys;
    }

    /** The password does not open the wallet file. */
    public static final class WrongPasswordException extends IOException {
        public WrongPasswordException(Path file) {
            super("wrong password for " + file);
        }
    }

    private static SecretKeySpec key(char[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return new SecretKeySpec(key, "AES");
        } finally {
            spec.clearPassword();
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static void store(Path file, Properties p, String comment) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, comment);
        }
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
