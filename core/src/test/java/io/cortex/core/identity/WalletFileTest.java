package io.cortex.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files on disk: sealed with Argon2id, owner-only, never overwritten unless asked, and old files still open. */
class WalletFileTest {
    private static final char[] PASSWORD = "correct horse battery".toCharArray();

    @TempDir
    Path dir;

    @Test
    void aColdkeyOpensWithItsPasswordAndRecordsItsKdfAndParameters() throws Exception {
        Keypair keys = Keypair.generate();
        Path file = dir.resolve("coldkey");

        WalletFile.writeEncrypted(file, keys, PASSWORD);

        assertTrue(WalletFile.encrypted(file));
        assertEquals(keys.address(), WalletFile.address(file));
        byte[] message = {1, 2, 3};
        assertTrue(Keypair.verify(keys.address(), message, WalletFile.read(file, PASSWORD).sign(message)));
        Properties p = properties(file);
        assertEquals("Argon2id/AES-256-GCM", p.getProperty("encryption"));
        assertEquals("65536", p.getProperty("argon2-memory-kib"));
        assertEquals("3", p.getProperty("argon2-iterations"));
        assertEquals("4", p.getProperty("argon2-parallelism"));
        assertEquals("19", p.getProperty("argon2-version"));
        assertTrue(p.containsKey("salt") && p.containsKey("iv") && p.containsKey("sealed-seed"), p.keySet().toString());
        assertFalse(p.containsKey("seed"), "a coldkey's seed is never stored in the clear");
        assertFalse(Files.readString(file).contains(WalletFile.backup(keys).substring(2)), "nor in hex");
    }

    @Test
    void aWrongPasswordIsRefusedWithAClearMessage() throws Exception {
        Path file = dir.resolve("coldkey");
        WalletFile.writeEncrypted(file, Keypair.generate(), PASSWORD);

        WalletFile.WrongPasswordException e = assertThrows(WalletFile.WrongPasswordException.class,
                () -> WalletFile.read(file, "correct horse batterY".toCharArray()));

        assertEquals("wrong password for " + file.toAbsolutePath(), e.getMessage());
    }

    @Test
    void aColdkeyWrittenWithPbkdf2BeforeArgon2StillOpens() throws Exception {
        Path file = dir.resolve("coldkey");
        try (InputStream old = WalletFileTest.class.getResourceAsStream("pbkdf2-coldkey")) {
            Files.copy(old, file);
        }
        assertEquals("PBKDF2WithHmacSHA256/AES-256-GCM", properties(file).getProperty("encryption"));

        Keypair keys = WalletFile.read(file, PASSWORD);

        assertEquals(Address.parse("cxpt5UJhF9xe8wGaj2pMbVS3L723dhV8tN7pYvzp7nnC3GY36Gw"), keys.address());
        assertThrows(WalletFile.WrongPasswordException.class, () -> WalletFile.read(file, "wrong".toCharArray()));
    }

    @Test
    void aColdkeyOpensWithTheParametersItRecordsNotTheCurrentDefaults() throws Exception {
        Keypair keys = Keypair.generate();
        Path file = dir.resolve("coldkey");
        WalletFile.Argon2 cheaper = new WalletFile.Argon2(1024, 1, 1);

        WalletFile.writeEncrypted(file, keys, PASSWORD, cheaper, WalletFile.IfExists.REFUSE);

        assertEquals("1024", properties(file).getProperty("argon2-memory-kib"));
        assertEquals(keys.address(), WalletFile.read(file, PASSWORD).address());
    }

    @Test
    void keyFilesAreOwnerOnlyInsideOwnerOnlyDirectories() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path wallet = dir.resolve("wallets/mine");
        Path coldkey = wallet.resolve("coldkey");
        Path hotkey = wallet.resolve("hotkeys/default");

        WalletFile.writeEncrypted(coldkey, Keypair.generate(), PASSWORD);
        WalletFile.writePlain(hotkey, Keypair.generate());

        for (Path file : List.of(coldkey, hotkey)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
        for (Path created : List.of(dir.resolve("wallets"), wallet, wallet.resolve("hotkeys"))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)), created.toString());
        }
    }

    @Test
    void anExistingKeyFileIsKeptUnlessReplacingIsAskedFor() throws Exception {
        Keypair first = Keypair.generate();
        Keypair second = Keypair.generate();
        Path coldkey = dir.resolve("coldkey");
        Path hotkey = dir.resolve("hotkey");
        WalletFile.writeEncrypted(coldkey, first, PASSWORD);
        WalletFile.writePlain(hotkey, first);

        assertThrows(FileAlreadyExistsException.class, () -> WalletFile.writeEncrypted(coldkey, second, PASSWORD));
        assertThrows(FileAlreadyExistsException.class, () -> WalletFile.writePlain(hotkey, second));
        assertEquals(first.address(), WalletFile.read(coldkey, PASSWORD).address());
        assertEquals(first.address(), WalletFile.read(hotkey, null).address());

        WalletFile.writeEncrypted(coldkey, second, PASSWORD, WalletFile.IfExists.REPLACE);
        WalletFile.writePlain(hotkey, second, WalletFile.IfExists.REPLACE);
        assertEquals(second.address(), WalletFile.read(coldkey, PASSWORD).address());
        assertEquals(second.address(), WalletFile.read(hotkey, null).address());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("coldkey", "hotkey"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void hotkeyFilesOpenWithoutAPassword() throws Exception {
        Keypair keys = Keypair.generate();
        Path file = dir.resolve("miner.hotkey");
        WalletFile.writePlain(file, keys);

        assertFalse(WalletFile.encrypted(file));
        byte[] message = {1, 2, 3};
        Keypair read = WalletFile.read(file, null);
        assertTrue(Keypair.verify(keys.address(), message, read.sign(message)));
    }

    @Test
    void aBackupRestoresTheSameKeyAndAMalformedOneIsRefusedWithoutBeingRepeated() {
        Keypair keys = Keypair.generate();

        String backup = WalletFile.backup(keys);

        assertTrue(backup.matches("0x[0-9a-f]{64}"), "0x and 64 hex digits");
        assertEquals(keys.address(), WalletFile.fromBackup(backup).address());
        assertEquals(keys.address(), WalletFile.fromBackup("  " + backup.toUpperCase().replace("0X", "0x") + "\n").address());
        String typo = backup.substring(0, 65);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WalletFile.fromBackup(typo));
        assertFalse(e.getMessage().contains(typo.substring(2, 20)), e.getMessage());
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
