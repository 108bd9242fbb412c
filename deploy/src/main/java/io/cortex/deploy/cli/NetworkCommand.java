package io.cortex.deploy.cli;

import io.cortex.deploy.support.CliFailure;
import io.cortex.ledger.state.ChainSpec;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.fixed.Rao;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.sharding.ledger.Genesis;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cortex network}: a network's genesis as a file, the chain spec every node starts from. */
@Command(name = "network", description = "A network's chain spec: its genesis (network id, balances, root key, "
        + "emission and subnet defaults) as a JSON file that every node starts from (cortex node --chain FILE).",
        subcommands = {NetworkCommand.Init.class})
public final class NetworkCommand {

    /** The default network id outside dev mode. */
    static final String NETWORK_ID = "cortex";

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    /** {@code cortex network init}: writes a chain spec. */
    @Command(name = "init",
            description = {"Write a chain spec. Without --dev: a network outside dev mode, whose ledger refuses the "
                    + "well-known dev keys (alice ... ferdie) and whose nodes derive no key and host no neuron; "
                    + "--sudo is required, and only the --balance accounts are funded. Subnet defaults are "
                    + "subtensor's (a tempo of 360 blocks ...).",
                "With --dev: a dev network, as a testnet runs: the dev accounts alice ... ferdie funded with "
                    + "1000000 TAO each, alice as root key, short clocks (a tempo of 20 blocks); the ledger accepts "
                    + "the dev keys.",
                "Every amount in the file is in rao (1 TAO = 10^9 rao); edit it before the network's first start. "
                    + "Start every node with cortex node --chain FILE: nodes whose specs differ (it prints the spec's "
                    + "hash) refuse to form a cluster."})
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the spec (JSON)")
        Path out;

        @Option(names = "--dev", description = "a dev network: the dev accounts funded and their keys accepted")
        boolean dev;

        @Option(names = "--network-id", paramLabel = "ID",
                description = "the network's name in logs and errors (default: " + Genesis.DEV_NETWORK_ID + " with --dev, "
                        + NETWORK_ID + " without)")
        String networkId;

        @Option(names = "--balance", paramLabel = "ADDRESS=TAO",
                description = "fund ADDRESS with TAO at genesis (repeatable; with --dev, replaces a dev account's "
                        + "balance)")
        List<String> balances;

        @Option(names = "--sudo", paramLabel = "ADDRESS",
                description = "the root key (Bittensor's sudo key): sets root-only hyper-parameters, and receives the "
                        + "swap fees as the block author (required without --dev; default with --dev: alice)")
        String sudo;

        @Option(names = "--force", description = "overwrite FILE if it exists")
        boolean force;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
        boolean help;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (Files.exists(out()) && !force) {
                throw new IllegalArgumentException(out() + " exists (--force overwrites it)");
            }
            ChainSpec chain = chainSpec();
            try {
                chain.write(out());
            } catch (IOException e) {
                throw new CliFailure("cannot write " + out() + ": " + e.getMessage(), e);
            }
            LedgerConfig ledger = chain.ledger();
            long total = ledger.balances().values().stream().mapToLong(Long::longValue).sum();
            out.println("wrote " + out() + ": network " + chain.networkId() + (ledger.devMode()
                    ? ", dev mode (the dev keys alice ... ferdie sign)" : ", not dev mode (the ledger refuses dev keys)"));
            out.println("  " + ledger.balances().size() + " accounts funded with " + Rao.format(total) + " TAO; root key "
                    + ledger.rootKey());
            out.println("  chain spec hash " + chain.hashHex());
            out.println("start every node of the network with: cortex node --chain " + out() + " ...");
            out.flush();
            return 0;
        }

        private Path out() {
            return out.toAbsolutePath();
        }

        ChainSpec chainSpec() {
            String id = networkId != null ? networkId : dev ? Genesis.DEV_NETWORK_ID : NETWORK_ID;
            LedgerConfig ledger;
            if (dev) {
                ledger = LedgerConfig.devnet();
                if (sudo != null) {
                    Address root = address(sudo, "--sudo");
                    ledger = ledger.withRootKey(root, root);
                }
            } else {
                if (sudo == null) {
                    throw new IllegalArgumentException("--sudo ADDRESS is required without --dev: the network's root key "
                            + "(cortex wallet create shows a wallet's address)");
                }
                ledger = LedgerConfig.openNetwork(address(sudo, "--sudo"));
            }
            Map<Address, Long> funded = new TreeMap<>(ledger.balances());
            Map<Address, Long> given = new TreeMap<>();
            for (String b : balances == null ? List.<String>of() : balances) {
                int eq = b.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("--balance wants ADDRESS=TAO, got '" + b + "'");
                }
                Address account = address(b.substring(0, eq), "--balance");
                long rao;
                try {
                    rao = Rao.parse(b.substring(eq + 1));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("--balance " + b + ": not an amount of TAO (" + e.getMessage() + ")");
                }
                if (rao < 0) {
                    throw new IllegalArgumentException("--balance " + b + ": a balance cannot be negative");
                }
                if (given.put(account, rao) != null) {
                    throw new IllegalArgumentException("--balance names " + account + " twice");
                }
            }
            funded.putAll(given);
            try {
                return new ChainSpec(id, ledger.withBalances(funded), List.of());
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException(e.getMessage() + (!dev && isDevKey(e.getMessage())
                        ? " (--dev makes a dev network)" : ""), e);
            }
        }

        private static boolean isDevKey(String message) {
            return message != null && DevKeys.NAMES.stream().anyMatch(n -> message.startsWith(n + "'s dev key"));
        }

        private static Address address(String text, String option) {
            try {
                return Address.parse(text.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
    }
}
