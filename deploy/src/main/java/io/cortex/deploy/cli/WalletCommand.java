package io.cortex.deploy.cli;

import io.cortex.ledger.state.Rao;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.BalanceReply;
import io.cortex.protocol.api.StakePosition;
import io.cortex.protocol.identity.Address;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cortex wallet}: keys and TAO. */
@Command(name = "wallet", description = "Wallets (a coldkey and its hotkeys) and their TAO.",
        subcommands = {WalletCommand.Create.class, WalletCommand.List_.class, WalletCommand.Balance.class,
                WalletCommand.Transfer.class})
public final class WalletCommand {

    @Command(name = "create", description = "Create a wallet: a new coldkey, sealed under a password, and a hotkey "
            + "named 'default'. Stored under ~/.cortex/wallets (or $CORTEX_HOME/wallets).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the wallet's name")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from FILE "
                + "(else $CORTEX_PASSWORD, else it is asked for)")
        Path passwordFile;

        @Override
        public Integer call() {
            Wallets.Entry e = Wallets.standard().create(name, new Wallets.Passwords(passwordFile).password(name));
            PrintWriter out = spec.commandLine().getOut();
            out.println("created wallet " + e.name());
            out.println("  coldkey " + e.coldkey());
            out.println("  hotkey  default " + Wallets.standard().hotkey(name, Wallets.DEFAULT_HOTKEY).address());
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", description = "The dev wallets (alice ... ferdie) and the wallets on disk.")
    static final class List_ implements Callable<Integer> {
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
    static final class Balance implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Parameters(paramLabel = "WALLET|ADDRESS")
        String who;

        @Override
        public Integer call() {
            Address address = Wallets.standard().coldkeyAddress(who);
            try (Api api = connection.open()) {
                BalanceReply b = api.call(api.ledger().balance(AccountRequest.newBuilder().setAddress(address.toString()).build()));
                PrintWriter out = spec.commandLine().getOut();
                if (connection.json()) {
                    Output.json(out, b);
                    return 0;
                }
                out.println(who + " " + b.getAddress());
                out.println("free " + Output.tao(b.getBalance()) + " TAO, next nonce " + b.getNonce());
                if (b.getStakesCount() > 0) {
                    List<List<String>> rows = new ArrayList<>();
                    for (StakePosition p : b.getStakesList()) {
                        rows.add(List.of(Integer.toString(p.getNetuid()), p.getHotkey(), Output.tao(p.getAlpha()),
                                Output.tao(p.getTaoValue())));
                    }
                    Output.table(out, List.of("netuid", "hotkey", "alpha", "worth (TAO)"), rows);
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "transfer", description = "Send TAO from a wallet's coldkey; waits for the block that holds it.")
    static final class Transfer implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = "--from", required = true, paramLabel = "WALLET")
        String from;

        @Option(names = "--to", required = true, paramLabel = "WALLET|ADDRESS")
        String to;

        @Option(names = "--amount", required = true, paramLabel = "TAO", description = "e.g. 1.5 (at most 9 decimals)")
        String amount;

        @Option(names = "--password-file", paramLabel = "FILE")
        Path passwordFile;

        @Override
        public Integer call() {
            long rao = positiveTao(amount);
            Wallets wallets = Wallets.standard();
            Address target = wallets.coldkeyAddress(to);
            try (Api api = connection.open()) {
                Submitter.submit(api, wallets.coldkey(from, new Wallets.Passwords(passwordFile)),
                        new Transaction.Transfer(target, rao));
                spec.commandLine().getOut().println("transferred " + Output.tao(rao) + " TAO from " + from + " to " + target);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    /** A positive amount of TAO in rao; one clear line when it is not. */
    static long positiveTao(String text) {
        long rao;
        try {
            rao = Rao.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an amount of TAO: '" + text + "' (e.g. 1.5, at most 9 decimals)");
        }
        if (rao <= 0) {
            throw new IllegalArgumentException("the amount must be positive, got " + text);
        }
        return rao;
    }
}
