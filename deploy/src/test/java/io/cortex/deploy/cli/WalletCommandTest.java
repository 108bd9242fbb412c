package io.cortex.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cortex.deploy.testnet.CliRun;
import io.cortex.core.identity.DevKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wallets on disk: created under a password, owner-only, listed, restored from their backup, and refused with a wrong
 * password, without any node.
 */
class WalletCommandTest {

    @TempDir
    Path home;

    @BeforeEach
    void useTemporaryHome() {
        System.setProperty("cortex.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        System.clearProperty("cortex.home");
    }

    @Test
    void aWalletIsCreatedListedAndGuardedByItsPassword() throws Exception {
        Path password = Files.writeString(home.resolve("pw"), "correct horse battery\n");
        CliRun created = CliRun.of("wallet", "create", "mine", "--password-file", password.toString());
        assertEquals(0, created.exit(), created.err());
        assertTrue(created.out().startsWith("created wallet mine"), created.out());
        assertTrue(Files.isRegularFile(home.resolve("wallets/mine/coldkey")));
        assertTrue(Files.readString(home.resolve("wallets/mine/coldkey")).contains("sealed-seed"), "the coldkey is sealed");

        CliRun list = CliRun.of("wallet", "list");
        assertEquals(0, list.exit());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("mine ") && l.endsWith("file")), list.out());
        assertTrue(list.out().contains(DevKeys.coldkey("alice").address().toString()), list.out());

        CliRun twice = CliRun.of("wallet", "create", "mine", "--password-file", password.toString());
        assertEquals(2, twice.exit());
        assertTrue(twice.err().contains("exists already"), twice.err());

        Path wrong = Files.writeString(home.resolve("wrong"), "not the password");
        CliRun refused = CliRun.of("wallet", "transfer", "--from", "mine", "--to", "bob", "--amount", "1", "--password-file",
                wrong.toString(), "--node", "127.0.0.1:9");
        assertEquals(1, refused.exit());
        assertEquals("cortex wallet transfer: wrong password for wallet mine", refused.err().strip());
    }

    @Test
    void aWalletGetsMoreHotkeysEachItsOwnKeyOwnerOnly() throws Exception {
        Path password = Files.writeString(home.resolve("pw"), "correct horse battery\n");
        assertEquals(0, CliRun.of("wallet", "create", "mine", "--password-file", password.toString()).exit());

        CliRun added = CliRun.ok("wallet", "new-hotkey", "mine", "miner-7");
        Path file = home.resolve("wallets/mine/hotkeys/miner-7");
        assertTrue(Files.isRegularFile(file), added.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String address = added.out().strip().substring(added.out().strip().lastIndexOf(' ') + 1);
        assertTrue(address.startsWith("cx"), added.out());
        assertFalse(Files.readString(home.resolve("wallets/mine/hotkeys/default")).equals(Files.readString(file)),
                "a new key, not the default one");

        // a second time: refused, the key kept; with --if-missing, the same key
        CliRun again = CliRun.of("wallet", "new-hotkey", "mine", "miner-7");
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("has a hotkey 'miner-7' already"), again.err());
        CliRun kept = CliRun.ok("wallet", "new-hotkey", "mine", "miner-7", "--if-missing");
        assertTrue(kept.out().contains("already: " + address), kept.out());

        assertEquals(2, CliRun.of("wallet", "new-hotkey", "nobody", "x").exit());
        assertEquals(2, CliRun.of("wallet", "new-hotkey", "mine", "../escape").exit());
        assertEquals(2, CliRun.of("wallet", "new-hotkey", "alice", "x").exit());
    }

    @Test
    void walletCreateShowsTheColdkeyBackupOnceAndNowhereElse() throws Exception {
        Path password = Files.writeString(home.resolve("pw"), "correct horse battery\n");

        CliRun created = CliRun.of("wallet", "create", "mine", "--password-file", password.toString());

        assertEquals(0, created.exit(), created.err());
        List<String> shown = Pattern.compile("0x[0-9a-f]{64}").matcher(created.out()).results().map(m -> m.group()).toList();
        assertEquals(1, shown.size(), created.out());
        String backup = shown.get(0);
        assertTrue(created.out().contains("shown now and never again") && created.out().contains("offline"), created.out());
        assertFalse(created.err().contains(backup.substring(2)));
        String seedBase64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(backup.substring(2)));
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                assertFalse(text.contains(backup.substring(2)) || text.contains(seedBase64), f + " holds the coldkey's seed");
            }
        }
        CliRun list = CliRun.of("wallet", "list");
        assertFalse(list.out().contains(backup.substring(2)), list.out());

        String coldkey = created.out().lines().filter(l -> l.startsWith("  coldkey ")).findFirst().orElseThrow().substring(10);
        Path backupFile = Files.writeString(home.resolve("backup"), backup + "\n");
        Path newPassword = Files.writeString(home.resolve("pw2"), "another long password\n");
        CliRun restored = CliRun.of("wallet", "regen-coldkey", "restored", "--backup-file", backupFile.toString(), "--password-file",
                newPassword.toString());
        assertEquals(0, restored.exit(), restored.err());
        assertTrue(restored.out().contains("coldkey " + coldkey), restored.out());
        assertFalse(restored.out().contains(backup.substring(2)), restored.out());
        assertEquals(coldkey, new Wallets(home.resolve("wallets")).coldkey("restored", new Wallets.Passwords(newPassword))
                .address().toString());

        CliRun kept = CliRun.of("wallet", "regen-coldkey", "mine", "--backup-file", backupFile.toString(), "--password-file",
                newPassword.toString());
        assertEquals(2, kept.exit());
        assertTrue(kept.err().contains("--overwrite"), kept.err());
        CliRun replaced = CliRun.of("wallet", "regen-coldkey", "mine", "--backup-file", backupFile.toString(), "--password-file",
                newPassword.toString(), "--overwrite");
        assertEquals(0, replaced.exit(), replaced.err());
        assertEquals(coldkey, new Wallets(home.resolve("wallets")).coldkey("mine", new Wallets.Passwords(newPassword))
                .address().toString());
    }

    @Test
    void walletKeyFilesAreOwnerOnlyInOwnerOnlyDirectories() throws Exception {
        assumeTrue(home.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path wallets = Files.createDirectory(home.resolve("wallets"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))); // as older Cortex left it
        Path password = Files.writeString(home.resolve("pw"), "correct horse battery\n");

        CliRun created = CliRun.of("wallet", "create", "mine", "--password-file", password.toString());

        assertEquals(0, created.exit(), created.err());
        for (Path d : List.of(wallets, wallets.resolve("mine"), wallets.resolve("mine/hotkeys"))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)), d.toString());
        }
        for (Path f : List.of(wallets.resolve("mine/coldkey"), wallets.resolve("mine/hotkeys/default"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
    }

    @Test
    void badInputIsOneLineWithExitCode2() throws Exception {
        Path shortPassword = Files.writeString(home.resolve("pw"), "short");
        for (String[] args : new String[][] {
                {"wallet", "create", "x", "--password-file", shortPassword.toString()},
                {"wallet", "create", "no/slashes", "--password-file", shortPassword.toString()},
                {"wallet", "balance", "nobody"},
                {"wallet", "transfer", "--from", "alice", "--to", "bob", "--amount", "1.0000000001"},
                {"wallet", "transfer", "--from", "alice", "--to", "bob", "--amount", "-3"},
                {"status", "--node", "not a node"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
