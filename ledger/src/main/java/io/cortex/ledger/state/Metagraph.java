package io.cortex.ledger.state;

import io.cortex.core.identity.Address;
import io.cortex.core.message.CortexMessage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What neurons and users see of a subnet (Bittensor's metagraph): per uid its hotkey, owner, stake, served
 * axon, permit and last epoch's outputs, plus the clock and the weight rules validators follow. Published
 * after every epoch; immutable.
 */
public record Metagraph(int netuid, long block, long epochIndex, long lastEpochBlock, int tempo, boolean commitReveal,
                        long weightsRateLimit, long revealPeriod, Address ownerHotkey, double price,
                        List<Neuron> neurons, boolean leaveOneOut) implements CortexMessage {

    /** One uid of the metagraph. */
    public record Neuron(int uid, Address hotkey, Address coldkey, long stake, String axon, boolean validatorPermit,
                         int incentive, int dividends, int consensus, int validatorTrust, long emission, long lastUpdate,
                         long registeredAt, boolean active) implements CortexMessage {
    }

    /**
     * The most neurons of a metagraph sent whole from node to node (a push after an epoch, to a validator):
     * about 170 KB in Kryo, under Artery's 256 KiB frame. A bigger subnet's metagraph goes between nodes only
     * in pages, read where it is needed.
     */
    public static final int SENT_WHOLE_MOST = 2048;

    public Metagraph {
        neurons = List.copyOf(neurons);
    }

    /** A metagraph of a subnet whose validators score answer by answer ({@code leave_one_out} off). */
    public Metagraph(int netuid, long block, long epochIndex, long lastEpochBlock, int tempo, boolean commitReveal,
                     long weightsRateLimit, long revealPeriod, Address ownerHotkey, double price, List<Neuron> neurons) {
        this(netuid, block, epochIndex, lastEpochBlock, tempo, commitReveal, weightsRateLimit, revealPeriod, ownerHotkey,
                price, neurons, false);
    }

    /** The metagraph of a subnet in the given state. */
    public static Metagraph of(LedgerState state, int netuid) {
        Subnet s = state.subnet(netuid);
        if (s == null) {
            throw new IllegalArgumentException("no subnet " + netuid);
        }
        return of(state, netuid, 0, s.size());
    }

    /** A page of the metagraph of a subnet in the given state: the neurons of uids {@code from} to {@code to} (exclusive). */
    public static Metagraph of(LedgerState state, int netuid, int from, int to) {
        Subnet s = state.subnet(netuid);
        if (s == null) {
            throw new IllegalArgumentException("no subnet " + netuid);
        }
        List<Neuron> neurons = new ArrayList<>(to - from);
        for (int uid = from; uid < to; uid++) {
            Address hotkey = s.hotkey(uid);
            neurons.add(new Neuron(uid, hotkey, state.ownerOf(hotkey), s.stakeOf(hotkey), s.axon(uid), s.validatorPermit(uid),
                    s.incentive(uid), s.dividends(uid), s.consensus(uid), s.validatorTrust(uid), s.emission(uid),
                    s.lastUpdate(uid), s.registeredAt(uid), s.active(uid)));
        }
        SubnetHyperparameters h = s.hyperparameters();
        return new Metagraph(netuid, state.height(), s.epochIndex(), s.lastEpochBlock(), h.tempo(), h.commitReveal(),
                h.weightsRateLimit(), h.revealPeriod(), s.ownerHotkey(), s.price(), neurons,
                h.leaveOneOut());
    }

    /** The same metagraph with the neurons of uids {@code from} to {@code to} (exclusive) only: a page of it. */
    public Metagraph slice(int from, int to) {
        return new Metagraph(netuid, block, epochIndex, lastEpochBlock, tempo, commitReveal, weightsRateLimit, revealPeriod,
                ownerHotkey, price, neurons.subList(from, to), leaveOneOut);
    }

    /** Whether this metagraph may go whole from node to node: at most {@link #SENT_WHOLE_MOST} neurons. */
    public boolean sentWhole() {
        return neurons.size() <= SENT_WHOLE_MOST;
    }

    /** The same metagraph (its block, clock and rules) with these neurons: the pages of one block put together. */
    public Metagraph withNeurons(List<Neuron> all) {
        return new Metagraph(netuid, block, epochIndex, lastEpochBlock, tempo, commitReveal, weightsRateLimit, revealPeriod,
                ownerHotkey, price, all, leaveOneOut);
    }

    /**
     * The seed this epoch's round tasks are drawn from, the same for every validator of the subnet
     * ({@code ValidatorCycle#beginRound(long)}): the first 8 bytes of SHA-256 over the subnet, the epoch and
     * each paid uid's emission, incentive and dividends (a neuron registered during the epoch, paid nothing
     * yet, leaves it unchanged). Nobody knows it before the epoch's consensus has run, so no miner can
     * prepare for the epoch's tasks, yet every validator that reads the metagraph in the epoch draws the same
     * ones: their measurements differ by the miners' own randomness, not by which tasks they happened to
     * draw, which is what a weight copier's average of their weights otherwise gains from.
     */
    public long taskSeed() {
        ByteBuffer b = ByteBuffer.allocate(20 + neurons.size() * 20);
        b.putInt(netuid).putLong(epochIndex).putLong(lastEpochBlock);
        for (Neuron n : neurons) {
            if (n.emission() != 0 || n.incentive() != 0 || n.dividends() != 0) {
                b.putLong(n.emission()).putInt(n.uid()).putInt(n.incentive()).putInt(n.dividends());
            }
        }
        b.flip();
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(
                    Arrays.copyOf(b.array(), b.limit()))).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The uid of a hotkey, or -1. */
    public int uidOf(Address hotkey) {
        for (Neuron n : neurons) {
            if (n.hotkey().equals(hotkey)) {
                return n.uid();
            }
        }
        return -1;
    }

    public Neuron neuron(Address hotkey) {
        int uid = uidOf(hotkey);
        return uid < 0 ? null : neurons.get(uid);
    }
}
