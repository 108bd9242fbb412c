package io.cortex.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.WalletFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program built on the SDK opens the wallets {@code cortex wallet create} makes, where the command line keeps them. */
class WalletsTest {

    @TempDir
    Path home;

    @AfterEach
    void restoreHome() {
        System.clearProperty(CortexHome.PROPERTY);
    }

    @Test
    void aWalletOpensWithItsPasswordFromAFileAndRefusesAnother() throws Exception {
        Wallets wallets = new Wallets(home.resolve("wallets"));
        Wallets.Created created = wallets.create("mine", "correct horse battery".toCharArray());
        Path right = Files.writeString(home.resolve("pw"), "correct horse battery\n");
        Path wrong = Files.writeString(home.resolve("wrong"), "not the password\n");

        assertEquals(created.coldkey().address(), wallets.coldkey("mine", new Wallets.Passwords(right)).address());
        assertEquals(created.hotkey().address(), wallets.hotkey("mine", Wallets.DEFAULT_HOTKEY).address());
        WalletException refused = assertThrows(WalletException.class,
                () -> wallets.coldkey("mine", new Wallets.Passwords(wrong)));
        assertEquals("wrong password for wallet mine", refused.getMessage());
        assertInstanceOf(WalletFile.WrongPasswordException.class, refused.getCause());
        assertThrows(IllegalArgumentException.class, () -> wallets.hotkey("mine", "other"));
    }

    @Test
    void theStandardWalletsAreUnderCortexHome() {
        System.setProperty(CortexHome.PROPERTY, home.toString());
        Wallets.Created created = new Wallets(home.resolve("wallets")).create("mine", "correct horse battery".toCharArray());

        assertEquals(home.resolve("wallets"), CortexHome.wallets());
        assertEquals(created.hotkey().address(), Wallets.standard().hotkey("mine", Wallets.DEFAULT_HOTKEY).address());
    }

    @Test
    void theDevWalletsNeedNoFiles() {
        Wallets wallets = new Wallets(home.resolve("wallets"));

        assertEquals(DevKeys.coldkey("alice").address(), wallets.coldkey("alice", new Wallets.Passwords(null)).address());
        assertEquals(DevKeys.hotkey("alice", 3).address(), wallets.hotkey("alice", "3").address());
    }
}
