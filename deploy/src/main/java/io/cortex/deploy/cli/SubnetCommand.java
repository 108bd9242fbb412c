package io.cortex.deploy.cli;

import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.api.Hyperparameter;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.SubnetReply;
import io.cortex.protocol.api.SubnetSummary;
import io.cortex.protocol.api.SubnetsReply;
import io.cortex.protocol.api.SubnetsRequest;
import io.cortex.core.identity.Address;
import java.io.PrintWriter;
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
        subcommands = {SubnetCommand.Create.class, SubnetCommand.Start.class, SubnetCommand.ListSubnets.class,
                SubnetCommand.Show.class, SubnetCommand.Hyperparameters.class, SubnetCommand.Pay.class})
public final class SubnetCommand {

    @Command(name = "create", description = "Create a subnet owned by the wallet (its coldkey pays the lock; its hotkey "
            + "takes uid 0). A new subnet emits once started: cortex subnet start.")
    static final class Create extends SubmitCommand {
        @Mixin
        WalletOptions.WithHotkey owner;

        @Override
        String submit(Api api) {
            Address ownerHotkey = owner.hotkeyAddress();
            Submitter.submit(api, owner.coldkey(), new Transaction.CreateSubnet(ownerHotkey));
            SubnetsReply all = api.call(api.ledger().subnets(SubnetsRequest.getDefaultInstance()));
            int netuid = all.getSubnetsList().stream().filter(s -> s.getOwnerHotkey().equals(ownerHotkey.toString()))
                    .mapToInt(SubnetSummary::getNetuid).max().orElse(-1);
            return "created subnet " + netuid + " owned by " + owner.wallet + "; start it with: ./cortex subnet start --netuid "
                    + netuid + " --wallet " + owner.wallet;
        }
    }

    @Command(name = "start", description = "Start a subnet's emission (owner only).")
    static final class Start extends SubmitCommand {
        @Mixin
        WalletOptions owner;

        @Option(names = "--netuid", required = true)
        int netuid;

        @Override
        String submit(Api api) {
            Submitter.submit(api, owner.coldkey(), new Transaction.StartSubnet(netuid));
            return "started subnet " + netuid;
        }
    }

    @Command(name = "pay", description = "Pay a subnet for its service, as its users do: the TAO buys the subnet's "
            + "alpha from its pool and the alpha is burned. Payments are the subnet's demand, which the 'demand' "
            + "emission policy follows (a subnet's TAO emission is at most what it was paid).")
    static final class Pay extends SubmitCommand {
        @Mixin
        WalletOptions payer;

        @Option(names = "--netuid", required = true)
        int netuid;

        @Option(names = "--amount", required = true, paramLabel = "TAO")
        String amount;

        @Override
        String submit(Api api) {
            long rao = Values.positiveTao(amount);
            Submitter.submit(api, payer.coldkey(), new Transaction.PaySubnet(netuid, rao));
            return "paid subnet " + netuid + " " + Output.tao(rao) + " TAO";
        }
    }

    @Command(name = "list", description = "Every subnet: owner, size, tempo, price, reserves, its share of emission and why.")
    static final class ListSubnets extends ReadCommand<SubnetsReply> {
        @Override
        SubnetsReply read(Api api) {
            return api.call(api.ledger().subnets(SubnetsRequest.getDefaultInstance()));
        }

        @Override
        void print(Api api, SubnetsReply reply, PrintWriter out) {
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
    }

    @Command(name = "show", description = "One subnet: summary and hyper-parameters (the neurons: cortex metagraph).")
    static final class Show extends ReadCommand<SubnetReply> {
        @Parameters(paramLabel = "NETUID")
        int netuid;

        @Override
        SubnetReply read(Api api) {
            return api.call(api.ledger().subnet(NetuidRequest.newBuilder().setNetuid(netuid).build()));
        }

        @Override
        void print(Api api, SubnetReply r, PrintWriter out) {
            SubnetSummary s = r.getSummary();
            out.printf(Locale.ROOT, "subnet %d (%s): %d uids, tempo %d, %s, %s%n",
                    s.getNetuid(), s.getMechanism().isEmpty() ? "no mechanism in this plan" : s.getMechanism(),
                    s.getN(), s.getTempo(), s.getEpochIndex() == 0 ? "no epoch yet"
                            : "epoch " + s.getEpochIndex() + " (last at block " + s.getLastEpochBlock() + ")",
                    s.getStarted() ? "started" : "not started");
            out.printf(Locale.ROOT, "owner coldkey %s, hotkey %s%n", s.getOwnerColdkey(), s.getOwnerHotkey());
            out.printf(Locale.ROOT, "pool: %s TAO, %s alpha, price %.6f TAO/alpha; registration burn %s TAO%n",
                    Output.tao(s.getTaoReserve()), Output.tao(s.getAlphaReserve()), s.getPrice(), Output.tao(s.getBurn()));
            out.printf(Locale.ROOT, "demand: users paid %s TAO per block (moving average; cortex subnet pay)%n",
                    Output.tao(Math.round(s.getDemandPerBlock())));
            out.printf(Locale.ROOT, "emission: %.2f %% of the next block%s%n", 100 * s.getEmissionShare(),
                    s.getEmissionReason().isEmpty() ? "" : " (" + s.getEmissionReason() + ")");
            hyperparameterTable(out, r);
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

        @Mixin
        PasswordFile password;

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
                    Submitter.submit(api, password.coldkey(wallet),
                            new Transaction.SetHyperparameter(netuid, set.substring(0, eq).trim(), value));
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
