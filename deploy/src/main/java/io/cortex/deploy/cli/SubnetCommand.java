package io.cortex.deploy.cli;

import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.api.Hyperparameter;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.SubnetReply;
import io.cortex.protocol.api.SubnetSummary;
import io.cortex.protocol.api.SubnetsReply;
import io.cortex.protocol.api.SubnetsRequest;
import io.cortex.protocol.identity.Address;
import io.cortex.protocol.identity.Keypair;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cortex subnet}: the competitions. */
@Command(name = "subnet", description = "Subnets: create, start, list, show, hyper-parameters, pay.",
        subcommands = {SubnetCommand.Create.class, SubnetCommand.Start.class, SubnetCommand.List_.class,
                SubnetCommand.Show.class, SubnetCommand.Hyperparameters.class, SubnetCommand.Pay.class})
public final class SubnetCommand {

    @Command(name = "create", description = "Create a subnet owned by the wallet (its coldkey pays the lock; its hotkey "
            + "takes uid 0). A new subnet emits once started: cortex subnet start.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = "--wallet", required = true)
        String wallet;

        @Option(names = "--hotkey", defaultValue = Wallets.DEFAULT_HOTKEY, description = "owner hotkey (default ${DEFAULT-VALUE})")
        String hotkey;

        @Option(names = "--password-file", paramLabel = "FILE")
        Path passwordFile;

        @Override
        public Integer call() {
            Wallets wallets = Wallets.standard();
            Address ownerHotkey = wallets.hotkeyAddress(wallet, hotkey);
            Keypair coldkey = wallets.coldkey(wallet, new Wallets.Passwords(passwordFile));
            try (Api api = connection.open()) {
                Submitter.submit(api, coldkey, new Transaction.CreateSubnet(ownerHotkey));
                SubnetsReply all = api.call(api.ledger().subnets(SubnetsRequest.getDefaultInstance()));
                int netuid = all.getSubnetsList().stream().filter(s -> s.getOwnerHotkey().equals(ownerHotkey.toString()))
                        .mapToInt(SubnetSummary::getNetuid).max().orElse(-1);
                spec.commandLine().getOut().println("created subnet " + netuid + " owned by " + wallet
                        + "; start it with: ./cortex subnet start --netuid " + netuid + " --wallet " + wallet);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "start", description = "Start a subnet's emission (owner only).")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = "--netuid", required = true)
        int netuid;

        @Option(names = "--wallet", required = true)
        String wallet;

        @Option(names = "--password-file", paramLabel = "FILE")
        Path passwordFile;

        @Override
        public Integer call() {
            Keypair coldkey = Wallets.standard().coldkey(wallet, new Wallets.Passwords(passwordFile));
            try (Api api = connection.open()) {
                Submitter.submit(api, coldkey, new Transaction.StartSubnet(netuid));
                spec.commandLine().getOut().println("started subnet " + netuid);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "pay", description = "Pay a subnet for its service, as its users do: the TAO buys the subnet's "
            + "alpha from its pool and the alpha is burned. Payments are the subnet's demand, which the 'demand' "
            + "emission policy follows (a subnet's TAO emission is at most what it was paid).")
    static final class Pay implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = "--netuid", required = true)
        int netuid;

        @Option(names = "--amount", required = true, paramLabel = "TAO")
        String amount;

        @Option(names = "--wallet", required = true, description = "the wallet whose coldkey pays")
        String wallet;

        @Option(names = "--password-file", paramLabel = "FILE")
        Path passwordFile;

        @Override
        public Integer call() {
            long rao = WalletCommand.positiveTao(amount);
            Keypair coldkey = Wallets.standard().coldkey(wallet, new Wallets.Passwords(passwordFile));
            try (Api api = connection.open()) {
                Submitter.submit(api, coldkey, new Transaction.PaySubnet(netuid, rao));
                spec.commandLine().getOut().println("paid subnet " + netuid + " " + Output.tao(rao) + " TAO");
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "list", description = "Every subnet: owner, size, tempo, price, reserves.")
    static final class List_ implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Override
        public Integer call() {
            try (Api api = connection.open()) {
                SubnetsReply reply = api.call(api.ledger().subnets(SubnetsRequest.getDefaultInstance()));
                PrintWriter out = spec.commandLine().getOut();
                if (connection.json()) {
                    Output.json(out, reply);
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                for (SubnetSummary s : reply.getSubnetsList()) {
                    rows.add(List.of(Integer.toString(s.getNetuid()), s.getMechanism().isEmpty() ? "-" : s.getMechanism(),
                            Integer.toString(s.getN()), Integer.toString(s.getTempo()), Long.toString(s.getEpochIndex()),
                            String.format(Locale.ROOT, "%.6f", s.getPrice()), Output.tao(s.getTaoReserve()),
                            Output.tao(s.getAlphaReserve()),
                            String.format(Locale.ROOT, "%.2f %%", 100 * s.getEmissionShare()), s.getStarted() ? "yes" : "no",
                            s.getOwnerColdkey()));
                }
                Output.table(out, List.of("netuid", "mechanism", "n", "tempo", "epochs", "price (TAO/α)", "TAO in pool",
                        "α in pool", "emission", "started", "owner"), rows);
                out.println();
                out.println("emission: each subnet's share of the next block, by the " + reply.getEmissionPolicy() + " policy:");
                for (SubnetSummary s : reply.getSubnetsList()) {
                    out.println("  " + s.getNetuid() + ": " + s.getEmissionReason());
                }
            }
            return 0;
        }
    }

    @Command(name = "show", description = "One subnet: summary and hyper-parameters (the neurons: cortex metagraph).")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Parameters(paramLabel = "NETUID")
        int netuid;

        @Override
        public Integer call() {
            try (Api api = connection.open()) {
                SubnetReply r = api.call(api.ledger().subnet(NetuidRequest.newBuilder().setNetuid(netuid).build()));
                PrintWriter out = spec.commandLine().getOut();
                if (connection.json()) {
                    Output.json(out, r);
                    return 0;
                }
                SubnetSummary s = r.getSummary();
                out.printf(Locale.ROOT, "subnet %d (%s): %d uids, tempo %d, epoch %d (last at block %d), %s%n",
                        s.getNetuid(), s.getMechanism().isEmpty() ? "no mechanism in this plan" : s.getMechanism(),
                        s.getN(), s.getTempo(), s.getEpochIndex(), s.getLastEpochBlock(),
                        s.getStarted() ? "started" : "not started");
                out.printf(Locale.ROOT, "owner coldkey %s, hotkey %s%n", s.getOwnerColdkey(), s.getOwnerHotkey());
                out.printf(Locale.ROOT, "pool: %s TAO, %s alpha, price %.6f TAO/alpha; registration burn %s TAO%n",
                        Output.tao(s.getTaoReserve()), Output.tao(s.getAlphaReserve()), s.getPrice(), Output.tao(s.getBurn()));
                out.printf(Locale.ROOT, "demand: users paid %s TAO per block (moving average; cortex subnet pay)%n",
                        Output.tao(Math.round(s.getDemandPerBlock())));
                hyperparameterTable(out, r);
            }
            return 0;
        }
    }

    @Command(name = "hyperparameters", description = "A subnet's hyper-parameters, or set one (--set NAME=VALUE, "
            + "as the owner).")
    static final class Hyperparameters implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Parameters(paramLabel = "NETUID")
        int netuid;

        @Option(names = "--set", paramLabel = "NAME=VALUE")
        String set;

        @Option(names = "--wallet", description = "the owner's wallet, with --set")
        String wallet;

        @Option(names = "--password-file", paramLabel = "FILE")
        Path passwordFile;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Api api = connection.open()) {
                if (set != null) {
                    int eq = set.indexOf('=');
                    if (eq <= 0 || wallet == null) {
                        throw new IllegalArgumentException("--set wants NAME=VALUE and --wallet the owner's wallet");
                    }
                    long value;
                    try {
                        value = Long.parseLong(set.substring(eq + 1).trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("a hyper-parameter value is a whole number: " + set);
                    }
                    Keypair owner = Wallets.standard().coldkey(wallet, new Wallets.Passwords(passwordFile));
                    Submitter.submit(api, owner, new Transaction.SetHyperparameter(netuid, set.substring(0, eq).trim(), value));
                    out.println("set " + set.substring(0, eq).trim() + " = " + value + " on subnet " + netuid);
                }
                SubnetReply r = api.call(api.ledger().subnet(NetuidRequest.newBuilder().setNetuid(netuid).build()));
                if (connection.json()) {
                    Output.json(out, r);
                } else {
                    hyperparameterTable(out, r);
                }
            }
            return 0;
        }
    }

    static void hyperparameterTable(PrintWriter out, SubnetReply r) {
        List<List<String>> rows = new ArrayList<>();
        for (Hyperparameter h : r.getHyperparametersList()) {
            rows.add(List.of(h.getName(), Long.toString(h.getValue()), h.getRootOnly() ? "root" : "owner", h.getMeaning()));
        }
        Output.table(out, List.of("hyper-parameter", "value", "set by", "meaning"), rows);
    }
}
