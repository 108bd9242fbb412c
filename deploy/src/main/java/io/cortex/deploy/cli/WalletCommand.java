package io.cortex.deploy.cli;

import io.cortex.deploy.support.CliFailure;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.api.BalanceReply;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import io.cortex.core.identity.WalletFile;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cortex wallet}: keys and TAO. */
@Command(name = "wallet", description = "Wallets (a coldkey and its hotkeys) and their TAO.",
        subcommands = {WalletCommand.Create.class, WalletCommand.NewHotkey.class, WalletCommand.RegenColdkey.class,
                WalletCommand.ListWallets.class,
                WalletCommand.Balance.class, WalletCommand.Transfer.class})
public final class WalletCommand {

    @Command(name = "create", description = "Create a wallet: a new coldkey, sealed under a password, and a hotkey "
            + "named 'default'. Stored under ~/.cortex/wallets (or $CORTEX_HOME/wallets), owner-only. Shows the "
            + "coldkey's backup once.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the wallet's name")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from FILE "
                + "(else $CORTEX_PASSWORD, else it is asked for, twice)")
        Path passwordFile;

        @Override
        public Integer call() {
            Wallets.Created created = withNewPassword(passwordFile, name,
                    password -> Wallets.standard().create(name, password));
            PrintWriter out = spec.commandLine().getOut();
            out.println("created wallet " + created.wallet().name());
            out.println("  coldkey " + created.coldkey().address());
            out.println("  hotkey  default " + created.hotkey().address());
            out.println();
            // The one place a private key is shown: to its owner, on the command's own output, never to a log.
            out.println("Backup of the coldkey (its private key). It is shown now and never again:");
            out.println();
            out.println("  " + WalletFile.backup(created.coldkey()));
            out.println();
            out.println("Whoever reads it owns the coldkey and its TAO, without the password. Write it down and keep it");
            out.println("offline: not in a file, a screenshot, a chat or a password manager that syncs. It restores the");
            out.println("coldkey if the password or this machine is lost: cortex wallet regen-coldkey " + created.wallet().name());
            out.flush();
            return 0;
        }
    }

    @Command(name = "new-hotkey", description = "Add a new hotkey to a wallet, for one more neuron of the same owner "
            + "(a miner per hotkey). The hotkey signs the neuron's messages and holds no TAO; it is stored unsealed, "
            + "owner-only, and needs no password.")
    static final class NewHotkey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "WALLET", description = "the wallet to add it to")
        String wallet;

        @Parameters(index = "1", paramLabel = "HOTKEY", description = "the hotkey's name (cortex miner run --hotkey NAME)")
        String hotkey;

        @Option(names = "--if-missing", description = "succeed without a change when the wallet has this hotkey already "
                + "(for a start-up script that runs on every restart)")
        boolean ifMissing;

        @Override
        public Integer call() {
            Wallets wallets = Wallets.standard();
            PrintWriter out = spec.commandLine().getOut();
            if (ifMissing && wallets.hasHotkey(wallet, hotkey)) {
                out.println("wallet " + wallet + " has hotkey " + hotkey + " already: " + wallets.hotkeyAddress(wallet, hotkey));
            } else {
                out.println("wallet " + wallet + ": new hotkey " + hotkey + " " + wallets.newHotkey(wallet, hotkey).address());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "regen-coldkey", description = "Restore a coldkey from the backup that 'wallet create' showed, "
            + "sealed under a new password. The backup is read from a file or typed (hidden), never an argument.")
    static final class RegenColdkey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the wallet to write the coldkey into")
        String name;

        @Option(names = "--backup-file", paramLabel = "FILE", description = "read the backup (0x and 64 hex digits) "
                + "from FILE's first line; else it is asked for")
        Path backupFile;

        @Option(names = "--password-file", paramLabel = "FILE", description = "read the new password from FILE "
                + "(else $CORTEX_PASSWORD, else it is asked for, twice)")
        Path passwordFile;

        @Option(names = "--overwrite", description = "replace the wallet's coldkey if it has one")
        boolean overwrite;

        @Override
        public Integer call() {
            Keypair coldkey = WalletFile.fromBackup(backup());
            Wallets.Entry restored = withNewPassword(passwordFile, name,
                    password -> Wallets.standard().regenColdkey(name, coldkey, password, overwrite));
            PrintWriter out = spec.commandLine().getOut();
            out.println("restored the coldkey of wallet " + restored.name());
            out.println("  coldkey " + restored.coldkey());
            out.flush();
            return 0;
        }

        private String backup() {
            if (backupFile != null) {
                try {
                    return Files.readAllLines(backupFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
                } catch (IOException e) {
                    throw new CliFailure("cannot read the backup file " + backupFile + ": " + e.getMessage(), e);
                }
            }
            Console console = System.console();
            char[] typed = console == null ? null : console.readPassword("backup of the coldkey (0x...): ");
            if (typed == null) {
                throw new CliFailure("give the backup with --backup-file FILE, or run this at a terminal to type it");
            }
            return new String(typed);
        }
    }

    /** Asks for the wallet's new password (from the file, else as {@link Wallets.Passwords} asks), uses it, and wipes it. */
    private static <T> T withNewPassword(Path passwordFile, String wallet, Function<char[], T> use) {
        char[] password = new Wallets.Passwords(passwordFile).newPassword(wallet);
        try {
            return use.apply(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Command(name = "list", description = "The dev wallets (alice ... ferdie) and the wallets on disk.")
    static final class ListWallets implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<List<String>> rows = new ArrayList<>();
            for (Wallets.Entry e : Wallets.standard().list()) {
                rows.add(List.of(e.name(), e.coldkey().toString(), String.join(",", e.hotkeys()), e.dev() ? "dev" : "file"));
            }
            Output.table(spec.commandLine().getOut(), List.of("wallet", "coldkey", "hotkeys", "kind"), rows);
            return 0;
        }
    }

    @Command(name = "balance", description = "Free TAO and stakes of a wallet's coldkey (or any address).")
    static final class Balance extends BalanceRead {
        @Parameters(paramLabel = "WALLET|ADDRESS")
        String who;

        @Override
        String who() {
            return who;
        }

        @Override
        void print(Api api, BalanceReply b, PrintWriter out) {
            out.println(who + " " + b.getAddress());
            out.println("free " + Output.tao(b.getBalance()) + " TAO, next nonce " + b.getNonce());
            if (b.getStakesCount() > 0) {
                Output.stakes(out, b);
            }
        }
    }

    @Command(name = "transfer", description = "Send TAO from a wallet's coldkey; waits for the block that holds it.")
    static final class Transfer extends SubmitCommand {
        @Option(names = "--from", required = true, paramLabel = "WALLET")
        String from;

        @Option(names = "--to", required = true, paramLabel = "WALLET|ADDRESS")
        String to;

        @Option(names = "--amount", required = true, paramLabel = "TAO", description = "e.g. 1.5 (at most 9 decimals)")
        String amount;

        @Mixin
        PasswordFile password;

        @Override
        String submit(Api api) {
            long rao = Values.positiveTao(amount);
            Address target = Wallets.standard().coldkeyAddress(to);
            Submitter.submit(api, password.coldkey(from), new Transaction.Transfer(target, rao));
            return "transferred " + Output.tao(rao) + " TAO from " + from + " to " + target;
        }
    }
}
