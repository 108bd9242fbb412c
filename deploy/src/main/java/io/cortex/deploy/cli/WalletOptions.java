package io.cortex.deploy.cli;

import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The wallet whose coldkey signs a command's transaction (a mixin), and the password that opens it. */
class WalletOptions {
    @Option(names = "--wallet", required = true, description = "the wallet whose coldkey signs (dev: alice ... ferdie)")
    String wallet;

    @Mixin
    PasswordFile password;

    Keypair coldkey() {
        return password.coldkey(wallet);
    }

    /** The wallet and which of its hotkeys acts: a neuron's commands. */
    static final class WithHotkey extends WalletOptions {
        @Option(names = "--hotkey", defaultValue = Wallets.DEFAULT_HOTKEY,
                description = "the wallet's hotkey by name, or any hotkey address (default ${DEFAULT-VALUE})")
        String hotkey;

        Keypair hotkeyKeys() {
            return Wallets.standard().hotkey(wallet, hotkey);
        }

        Address hotkeyAddress() {
            return Wallets.standard().hotkeyAddress(wallet, hotkey);
        }
    }
}
