package io.cortex.deploy.cli;

import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.WeightCommitment;
import io.cortex.protocol.api.BalanceReply;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.MetagraphRequest;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.Neuron;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The neuron verbs: {@code register}, {@code stake}, {@code weights}, {@code metagraph}. */
public final class NeuronCommands {

    private NeuronCommands() {
    }

    @Command(name = "register", description = "Register a hotkey on a subnet; the coldkey pays the burn.")
    public static final class Register extends SubmitCommand {
        @Mixin
        WalletOptions.WithHotkey signer;

        @Option(names = "--netuid", required = true)
        int netuid;

        @Option(names = "--max-burn", paramLabel = "TAO", description = "refuse a burn above this (default: any)")
        String maxBurn;

        @Override
        String submit(Api api) {
            long limit = maxBurn == null ? 0 : Values.positiveTao(maxBurn);
            Address hotkey = signer.hotkeyAddress();
            Submitter.submit(api, signer.coldkey(), new Transaction.RegisterNeuron(netuid, hotkey, limit));
            int uid = api.metagraph(netuid).getNeuronsList().stream().filter(n -> n.getHotkey().equals(hotkey.toString()))
                    .mapToInt(Neuron::getUid).findFirst().orElse(-1);
            return "registered " + hotkey + " on subnet " + netuid + " as uid " + uid;
        }
    }

    @Command(name = "stake", description = "Stake TAO on a hotkey of a subnet (it becomes alpha), unstake, list.",
            subcommands = {StakeAdd.class, StakeRemove.class, StakeList.class})
    public static final class Stake {
    }

    /** A stake command's hotkey (the wallet's, an address, or a uid's), subnet and amount. */
    abstract static class StakeCommand extends SubmitCommand {
        @Mixin
        WalletOptions.WithHotkey signer;

        @Option(names = "--netuid", required = true)
        int netuid;

        @Option(names = "--uid", description = "the hotkey of this uid instead of --hotkey")
        Integer uid;

        Address hotkey(Api api) {
            return uid == null ? signer.hotkeyAddress() : hotkeyOf(api, netuid, uid);
        }

        /**
         * Submits, signed by the coldkey, the transaction that moves {@code amount} of stake on the hotkey; returns
         * {@code done} filled in with the amount, the hotkey and the subnet.
         */
        String move(Api api, String amount, BiFunction<Address, Long, Transaction> transaction, String done) {
            long rao = Values.positiveTao(amount);
            Address hotkey = hotkey(api);
            Submitter.submit(api, signer.coldkey(), transaction.apply(hotkey, rao));
            return String.format(Locale.ROOT, done, Output.tao(rao), hotkey, netuid);
        }
    }

    @Command(name = "add", description = "Swap TAO into the subnet's alpha, staked on a hotkey: the wallet's "
            + "(--hotkey), any address (--hotkey cx...), or the neuron at a uid (--uid).")
    static final class StakeAdd extends StakeCommand {
        @Option(names = "--amount", required = true, paramLabel = "TAO")
        String amount;

        @Override
        String submit(Api api) {
            return move(api, amount, (hotkey, rao) -> new Transaction.AddStake(hotkey, netuid, rao, 0),
                    "staked %s TAO on %s in subnet %d");
        }
    }

    @Command(name = "remove", description = "Unstake alpha from a hotkey (--hotkey or --uid); it swaps back into TAO.")
    static final class StakeRemove extends StakeCommand {
        @Option(names = "--amount", required = true, paramLabel = "ALPHA", description = "alpha to unstake, e.g. 2.5")
        String amount;

        @Override
        String submit(Api api) {
            return move(api, amount, (hotkey, rao) -> new Transaction.RemoveStake(hotkey, netuid, rao, 0),
                    "unstaked %s alpha from %s in subnet %d");
        }
    }

    /** The hotkey at a uid of a subnet, now. */
    static Address hotkeyOf(Api api, int netuid, int uid) {
        if (uid < 0) {
            throw new IllegalArgumentException("a uid is 0 or more, not " + uid);
        }
        Metagraph m = api.metagraph(MetagraphRequest.newBuilder().setNetuid(netuid).setFromUid(uid).setLimit(1).build());
        if (m.getNeuronsCount() == 0) {
            throw new IllegalArgumentException("subnet " + netuid + " has uids 0 to " + (m.getN() - 1) + ", not " + uid);
        }
        return Address.parse(m.getNeurons(0).getHotkey());
    }

    @Command(name = "list", description = "A wallet's (or address's) stakes.")
    static final class StakeList extends BalanceRead {
        @Option(names = "--wallet", required = true, paramLabel = "WALLET|ADDRESS")
        String wallet;

        @Override
        String who() {
            return wallet;
        }

        @Override
        void print(Api api, BalanceReply b, PrintWriter out) {
            Output.stakes(out, b);
        }
    }

    @Command(name = "weights", description = "A validator's weights: set them, or commit and later reveal them.",
            subcommands = {WeightsSet.class, WeightsCommit.class, WeightsReveal.class})
    public static final class Weights {
    }

    /** The weights of a command: {@code uid=value,...}, values relative (scaled so the largest is 65535). */
    static final class WeightsOption {
        @Option(names = "--weights", required = true, paramLabel = "UID=VALUE,...",
                description = "relative weights, e.g. 1=0.5,4=0.25")
        String weights;

        int[][] parse() {
            String[] parts = weights.split(",");
            int[] uids = new int[parts.length];
            double[] raw = new double[parts.length];
            double max = 0;
            for (int i = 0; i < parts.length; i++) {
                String[] kv = parts[i].trim().split("=");
                try {
                    uids[i] = Integer.parseInt(kv[0].trim());
                    raw[i] = Double.parseDouble(kv[1].trim());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("--weights wants UID=VALUE,... such as 1=0.5,4=0.25; got '" + weights + "'");
                }
                if (raw[i] < 0 || uids[i] < 0) {
                    throw new IllegalArgumentException("weights and uids must not be negative: " + parts[i]);
                }
                max = Math.max(max, raw[i]);
            }
            if (max == 0) {
                throw new IllegalArgumentException("at least one weight must be positive");
            }
            int[] values = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                values[i] = (int) Math.round(raw[i] / max * 65_535);
            }
            return new int[][] {uids, values};
        }
    }

    /** A weights command: the validator's wallet and hotkey, the subnet, and the weights. */
    abstract static class WeightsCommand extends SubmitCommand {
        @Mixin
        WalletOptions.WithHotkey signer;

        @Mixin
        WeightsOption weights;

        @Option(names = "--netuid", required = true)
        int netuid;
    }

    @Command(name = "set", description = "Set weights directly (subnets without commit-reveal).")
    static final class WeightsSet extends WeightsCommand {
        @Override
        String submit(Api api) {
            int[][] w = weights.parse();
            Submitter.submit(api, signer.hotkeyKeys(), new Transaction.SetWeights(netuid, w[0], w[1], 0));
            return "set " + w[0].length + " weights on subnet " + netuid;
        }
    }

    @Command(name = "commit", description = "Commit to weights (their hash); reveal them reveal_period epochs later "
            + "with the same weights and the salt printed here.")
    static final class WeightsCommit extends WeightsCommand {
        @Option(names = "--salt", paramLabel = "HEX", description = "16 bytes in hex (default: random, printed)")
        String salt;

        @Override
        String submit(Api api) {
            int[][] w = weights.parse();
            byte[] s = salt == null ? randomSalt() : hex(salt);
            Keypair hotkey = signer.hotkeyKeys();
            Submitter.submit(api, hotkey, new Transaction.CommitWeights(netuid,
                    WeightCommitment.hash(hotkey.address(), netuid, w[0], w[1], s, 0)));
            return "committed " + w[0].length + " weights on subnet " + netuid + "; salt " + HexFormat.of().formatHex(s)
                    + System.lineSeparator() + "reveal with: ./cortex weights reveal --netuid " + netuid + " --wallet "
                    + signer.wallet + " --hotkey " + signer.hotkey + " --weights " + weights.weights + " --salt "
                    + HexFormat.of().formatHex(s);
        }
    }

    @Command(name = "reveal", description = "Reveal committed weights: the same weights and salt as the commit.")
    static final class WeightsReveal extends WeightsCommand {
        @Option(names = "--salt", required = true, paramLabel = "HEX")
        String salt;

        @Override
        String submit(Api api) {
            int[][] w = weights.parse();
            Submitter.submit(api, signer.hotkeyKeys(), new Transaction.RevealWeights(netuid, w[0], w[1], hex(salt), 0));
            return "revealed " + w[0].length + " weights on subnet " + netuid;
        }
    }

    static byte[] randomSalt() {
        byte[] s = new byte[16];
        new SecureRandom().nextBytes(s);
        return s;
    }

    static byte[] hex(String text) {
        try {
            byte[] b = HexFormat.of().parseHex(text);
            if (b.length == 0 || b.length > 64) {
                throw new IllegalArgumentException("a salt is 1 to 64 bytes");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--salt wants hex bytes, got '" + text + "'");
        }
    }

    @Command(name = "metagraph", description = "A subnet's neurons: stake, incentive, dividends, trust, emission, axon, "
            + "and who runs each (a hosted dev neuron, or a process with its own keys). Read in pages of 1,024 "
            + "uids, all of one block; --from-uid and --limit show part of a big subnet.")
    public static final class MetagraphCommand extends ReadCommand<Metagraph> {
        @Option(names = "--netuid", required = true)
        int netuid;

        @Option(names = "--from-uid", paramLabel = "UID", description = "the first uid to show (default: 0)")
        int fromUid;

        @Option(names = "--limit", paramLabel = "N", description = "show at most N uids (default: every one)")
        int limit;

        @Override
        Metagraph read(Api api) {
            if (fromUid < 0 || limit < 0) {
                throw new IllegalArgumentException("--from-uid and --limit are 0 or more");
            }
            return api.metagraph(MetagraphRequest.newBuilder().setNetuid(netuid).setFromUid(fromUid).setLimit(limit).build());
        }

        @Override
        void print(Api api, Metagraph m, PrintWriter out) {
            out.printf(Locale.ROOT, "subnet %d at block %d, epoch %d, tempo %d, price %.6f TAO/alpha%s, %s%n", m.getNetuid(),
                    m.getBlock(), m.getEpochIndex(), m.getTempo(), m.getPrice(), m.getCommitReveal() ? ", commit-reveal" : "",
                    shown(m, fromUid));
            List<List<String>> rows = new ArrayList<>();
            for (Neuron n : m.getNeuronsList()) {
                rows.add(List.of(Integer.toString(n.getUid()), Output.shortAddress(n.getHotkey()), Output.tao(n.getStake()),
                        Output.u16(n.getIncentive()), Output.u16(n.getDividends()), Output.u16(n.getValidatorTrust()),
                        Output.u16(n.getConsensus()), Output.tao(n.getEmission()), n.getValidatorPermit() ? "yes" : "-",
                        n.getActive() ? "yes" : "-", n.getAxon().isEmpty() ? "-" : n.getAxon().replace("aeron:udp?endpoint=", ""),
                        n.getHosted() ? "hosted dev" : "own keys"));
            }
            Output.table(out, List.of("uid", "hotkey", "stake (α)", "incentive", "dividends", "trust", "consensus",
                    "emission (α)", "permit", "active", "axon", "run by"), rows);
            if (m.getNeuronsList().stream().anyMatch(Neuron::getHosted)) {
                out.println("hosted dev: run by the testnet's nodes with keys derived from its seed (a simulation of "
                        + "independent neurons); own keys: a process holding its own wallet");
            }
        }

        private static String shown(Metagraph m, int fromUid) {
            int count = m.getNeuronsCount();
            if (count == m.getN()) {
                return m.getN() + " uids";
            }
            return count == 0 ? "none of its " + m.getN() + " uids from uid " + fromUid
                    : "uids " + m.getNeurons(0).getUid() + " to " + m.getNeurons(count - 1).getUid() + " of " + m.getN();
        }
    }
}
