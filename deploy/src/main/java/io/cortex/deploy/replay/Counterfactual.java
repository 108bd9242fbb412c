package io.cortex.deploy.replay;

import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.state.Block;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.state.Subnet;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.yuma.EpochJson;
import io.cortex.core.identity.Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recorded history re-run under another rule: every block of the journal, as it was recorded, applied
 * to a second ledger that starts from the same genesis but runs another emission policy or epoch
 * hyper-parameters ({@link LedgerConfig#withEpochOverrides}). It keeps, per subnet, the TAO the policy put
 * into its pool and the alpha its epochs paid, and per neuron what it was paid, on both sides; and per
 * epoch whether the two runs gave the same input (by hash) and the same payout.
 *
 * <p>The blocks are the recorded ones, so a transaction the counterfactual ledger refuses (a stake that its
 * balances no longer cover, say) is counted, not replaced: the counterfactual is "the same actions under
 * another rule", not what people would have done under it. Replaying under the recorded rule gives every
 * epoch identical, which {@code ChaosTest} checks on a testnet's journal.
 */
public final class Counterfactual {

    /** One subnet's totals on both sides. */
    public static final class SubnetTotals {
        public final int netuid;
        public long epochs;
        public long taoInRecorded;
        public long taoInReplayed;
        public long paidRecorded;
        public long paidReplayed;

        SubnetTotals(int netuid) {
            this.netuid = netuid;
        }
    }

    /** What one neuron (a hotkey on a subnet) was paid on both sides, alpha rao. */
    public static final class NeuronTotals {
        public final int netuid;
        public final Address hotkey;
        public int uid;
        public long paidRecorded;
        public long paidReplayed;

        NeuronTotals(int netuid, Address hotkey) {
            this.netuid = netuid;
            this.hotkey = hotkey;
        }

        public long difference() {
            return paidReplayed - paidRecorded;
        }
    }

    private record Key(int netuid, Address hotkey) {
    }

    private record EpochKey(int netuid, long epochIndex) {
    }

    private final LedgerState state;
    private final String rule;
    private final Map<Integer, SubnetTotals> subnets = new TreeMap<>();
    private final Map<Key, NeuronTotals> neurons = new HashMap<>();
    /** Recorded epochs whose counterfactual twin has not run yet (it may come a block later). */
    private final Map<EpochKey, EpochRecord> waiting = new HashMap<>();
    private final Map<EpochKey, EpochRecord> waitingReplayed = new HashMap<>();
    private long blocks;
    private long epochs;
    private long sameInput;
    private long samePayout;
    private long receiptsDiffering;

    /**
     * @param counterfactual the ledger configuration to replay under: the recorded one with another emission
     *                       policy or epoch overrides (the same one gives the recorded history back)
     * @param rule how the report names that configuration's rule
     */
    public Counterfactual(LedgerConfig counterfactual, String rule) {
        this.state = LedgerState.genesis(counterfactual);
        this.rule = rule;
    }

    /** Applies a recorded block: {@code recorded} is what it gave the recorded ledger, {@code after} that ledger. */
    public void apply(Block block, BlockResult recorded, LedgerState after) {
        BlockResult replayed = state.apply(block);
        blocks++;
        for (int i = 0; i < recorded.receipts().size(); i++) {
            if (recorded.receipts().get(i) instanceof Receipt.Rejected != replayed.receipts().get(i) instanceof Receipt.Rejected) {
                receiptsDiffering++;
            }
        }
        recorded.taoIn().forEach((netuid, tao) -> totals(netuid).taoInRecorded += tao);
        replayed.taoIn().forEach((netuid, tao) -> totals(netuid).taoInReplayed += tao);
        for (EpochRecord e : recorded.epochs()) {
            totals(e.netuid()).epochs++;
            epochs++;
            paid(e, after, true);
            pair(e, waiting, waitingReplayed, true);
        }
        for (EpochRecord e : replayed.epochs()) {
            paid(e, state, false);
            pair(e, waitingReplayed, waiting, false);
        }
    }

    /** Compares an epoch with its twin from the other side if that has run, else keeps it for the twin. */
    private void pair(EpochRecord e, Map<EpochKey, EpochRecord> mine, Map<EpochKey, EpochRecord> theirs, boolean recorded) {
        EpochKey key = new EpochKey(e.netuid(), e.epochIndex());
        EpochRecord twin = theirs.remove(key);
        if (twin == null) {
            mine.put(key, e);
        } else if (recorded) {
            compare(e, twin);
        } else {
            compare(twin, e);
        }
    }

    private SubnetTotals totals(int netuid) {
        return subnets.computeIfAbsent(netuid, SubnetTotals::new);
    }

    private void paid(EpochRecord e, LedgerState ledger, boolean recorded) {
        Subnet subnet = ledger.subnet(e.netuid());
        SubnetTotals t = totals(e.netuid());
        for (int uid = 0; uid < e.input().n() && uid < subnet.size(); uid++) {
            long paid = e.payout().total(uid);
            NeuronTotals n = neurons.computeIfAbsent(new Key(e.netuid(), subnet.hotkey(uid)),
                    k -> new NeuronTotals(k.netuid(), k.hotkey()));
            n.uid = uid;
            if (recorded) {
                n.paidRecorded += paid;
                t.paidRecorded += paid;
            } else {
                n.paidReplayed += paid;
                t.paidReplayed += paid;
            }
        }
    }

    private void compare(EpochRecord recorded, EpochRecord replayed) {
        sameInput += Arrays.equals(recorded.inputHash(), replayed.inputHash()) ? 1 : 0;
        samePayout += Arrays.equals(EpochJson.outputBytes(recorded.output()), EpochJson.outputBytes(replayed.output()))
                && Arrays.equals(recorded.payout().miner(), replayed.payout().miner())
                && Arrays.equals(recorded.payout().validator(), replayed.payout().validator()) ? 1 : 0;
    }

    public String rule() {
        return rule;
    }

    public long blocks() {
        return blocks;
    }

    /** Epochs the recorded ledger ran. */
    public long epochs() {
        return epochs;
    }

    /** Epochs whose input (and so its hash) was the same on both sides. */
    public long epochsWithTheSameInput() {
        return sameInput;
    }

    /** Epochs whose output and payout were the same on both sides. */
    public long epochsWithTheSamePayout() {
        return samePayout;
    }

    /** Epochs one side ran and the other did not (yet). */
    public long epochsUnmatched() {
        return waiting.size() + waitingReplayed.size();
    }

    /** Transactions accepted on one side and refused on the other. */
    public long receiptsDiffering() {
        return receiptsDiffering;
    }

    /** The counterfactual ledger's state hash at the end. */
    public String stateHash() {
        return state.stateHashHex();
    }

    public List<SubnetTotals> subnets() {
        return List.copyOf(subnets.values());
    }

    /** Every neuron paid on either side, by subnet, then by how much its pay changed (largest first). */
    public List<NeuronTotals> neurons() {
        List<NeuronTotals> all = new ArrayList<>(neurons.values());
        all.sort((a, b) -> a.netuid != b.netuid ? Integer.compare(a.netuid, b.netuid)
                : a.difference() != b.difference() ? Long.compare(Math.abs(b.difference()), Math.abs(a.difference()))
                : a.hotkey.toString().compareTo(b.hotkey.toString()));
        return all;
    }
}
