package io.cortex.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.CortexCli;
import io.cortex.protocol.identity.DevKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wallets on disk: created under a password, listed, and refused with a wrong password, without any node. */
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

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void aWalletIsCreatedListedAndGuardedByItsPassword() throws Exception {
        Path password = Files.writeString(home.resolve("pw"), "correct horse battery\n");
        Run created = run("wallet", "create", "mine", "--password-file", password.toString());
        assertEquals(0, created.exit(), created.err());
        assertTrue(created.out().startsWith("created wallet mine"), created.out());
        assertTrue(Files.isRegularFile(home.resolve("wallets/mine/coldkey")));
        assertTrue(Files.readString(home.resolve("wallets/mine/coldkey")).contains("sealed-seed"), "the coldkey is sealed");

        Run list = run("wallet", "list");
        assertEquals(0, list.exit());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("mine ") && l.endsWith("file")), list.out());
        assertTrue(list.out().contains(DevKeys.coldkey("alice").address().toString()), list.out());

        Run twice = run("wallet", "create", "mine", "--password-file", password.toString());
        assertEquals(2, twice.exit());
        assertTrue(twice.err().contains("exists already"), twice.err());

        Path wrong = Files.writeString(home.resolve("wrong"), "not the password");
        Run refused = run("wallet", "transfer", "--from", "mine", "--to", "bob", "--amount", "1", "--password-file",
                wrong.toString(), "--node", "127.0.0.1:9");
        assertEquals(1, refused.exit());
        assertEquals("cortex wallet transfer: wrong password for wallet mine", refused.err().strip());
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
            Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
