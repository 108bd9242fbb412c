package io.cortex.ledger.sim;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.state.Block;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.Conservation;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.state.Subnet;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.WeightCommitment;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The ledger alone, driven by seeded random honest activity: S subnets are created and started, K neurons
 * register on each (a quarter of them, at most 64, staked as validators), nominators stake and unstake,
 * coldkeys transfer, new hotkeys keep registering (so full subnets prune), and validators commit and
 * reveal weights that follow each miner's hidden quality with some noise. Every key, amount and choice
 * comes from the seed, so a seed gives one final state hash in any JVM.
 */
public final class LedgerSimulation {

    /** What one run is asked to do. */
    public record Settings(long blocks, int subnets, int neurons, long seed) {
        public Settings {
            if (blocks < 1 || subnets < 1 || neurons < 2) {
                throw new IllegalArgumentException("need at least 1 block, 1 subnet and 2 neurons per subnet");
            }
        }
    }

    /** What a run reports at the end; {@code rejections} counts refused transactions by reason. */
    public record Outcome(LedgerState state, long blocks, long transactions, long rejected, long epochs,
                          Map<RejectReason, Long> rejections) {
        public String stateHash() {
            return Canonical.hex(state.stateHash());
        }
    }

    private final Settings settings;
    private final SplittableRandom random;
    private final LedgerState state;
    private final List<Keypair> coldkeys = new ArrayList<>();
    private final Map<Integer, List<Keypair>> validators = new TreeMap<>();
    private final Map<Address, Keypair> hotkeys = new HashMap<>();
    private final Map<Address, Keypair> ownerOfHotkey = new HashMap<>();
    private final Map<Address, Double> quality = new HashMap<>();
    private final Map<Address, Pending> commits = new HashMap<>();
    private final List<SignedTransaction> queue = new ArrayList<>();
    private final Map<Address, Long> nextNonce = new HashMap<>();
    private int hotkeyCounter;
    private long transactions;
    private long rejected;
    private long epochs;
    private final Map<RejectReason, Long> rejections = new EnumMap<>(RejectReason.class);
    private boolean prepared;
    private Block lastBlock;

    /** A commit waiting for its reveal window. */
    private record Pending(int netuid, int[] uids, int[] values, byte[] salt, long epoch) {
    }

    public LedgerSimulation(Settings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        int coldkeyCount = Math.max(8, settings.subnets() * 4);
        Map<Address, Long> balances = new TreeMap<>();
        for (int i = 0; i < coldkeyCount; i++) {
            Keypair k = Keypair.fromSeed(seed("coldkey", i));
            coldkeys.add(k);
            balances.put(k.address(), Rao.tao(10_000_000));
        }
        // a subnet per block at the minimum lock: with the lock doubling, no coldkey could pay for the 20th
        LedgerConfig config = LedgerConfig.devnet().withBalances(balances).withLockReductionInterval(1);
        this.state = LedgerState.genesis(config);
    }

    public LedgerState state() {
        return state;
    }

    /** Runs every block, handing each epoch's record to {@code onEpoch} as it happens. */
    public Outcome run(Consumer<EpochRecord> onEpoch) {
        prepare();
        while (state.height() < settings.blocks()) {
            step().epochs().forEach(onEpoch);
        }
        return new Outcome(state, state.height(), transactions, rejected, epochs, Map.copyOf(rejections));
    }

    /** Creates the subnets and their neurons and stakes (the first blocks of a run). */
    public void prepare() {
        if (!prepared) {
            prepared = true;
            setUp();
        }
    }

    /** One more block of activity, as {@link #step}, returning the block itself (to replay elsewhere). */
    public Block stepBlock() {
        step();
        return lastBlock;
    }

    /** One more block of activity, past the run's block count if asked: for benchmarks. */
    public BlockResult step() {
        activity();
        BlockResult result = apply();
        epochs += result.epochs().size();
        return result;
    }

    private void setUp() {
        for (int netuid = 1; netuid <= settings.subnets(); netuid++) {
            Keypair owner = coldkeys.get((netuid - 1) % coldkeys.size());
            Keypair ownerHotkey = newHotkey(owner);
            submit(owner, new Transaction.CreateSubnet(ownerHotkey.address()));
            submit(owner, new Transaction.StartSubnet(netuid));
            if (!applyWithinBudget()) {
                return;
            }
        }
        int validatorCount = Math.max(1, Math.min(64, settings.neurons() / 4));
        for (int netuid = 1; netuid <= settings.subnets(); netuid++) {
            List<Keypair> chosen = new ArrayList<>();
            for (int i = 1; i < settings.neurons(); i++) {
                Keypair coldkey = coldkeys.get(random.nextInt(coldkeys.size()));
                Keypair hotkey = newHotkey(coldkey);
                submit(coldkey, new Transaction.RegisterNeuron(netuid, hotkey.address(), 0));
                quality.put(hotkey.address(), random.nextDouble());
                if (i <= validatorCount) {
                    chosen.add(hotkey);
                }
            }
            validators.put(netuid, chosen);
            if (!applyWithinBudget()) {
                return;
            }
            for (Keypair v : chosen) {
                long amount = Rao.tao(10 + random.nextInt(200));
                submit(ownerOfHotkey.get(v.address()), new Transaction.AddStake(v.address(), netuid, amount, 0));
            }
            if (!applyWithinBudget()) {
                return;
            }
        }
    }

    /** Applies the queued transactions as a block if the run has blocks left; false once it has none. */
    private boolean applyWithinBudget() {
        if (state.height() >= settings.blocks()) {
            queue.clear();
            return false;
        }
        apply();
        return state.height() < settings.blocks();
    }

    /** One block's worth of random honest activity. */
    private void activity() {
        long now = state.height() + 1;
        for (Map.Entry<Integer, List<Keypair>> e : validators.entrySet()) {
            int netuid = e.getKey();
            Subnet subnet = state.subnet(netuid);
            long tempo = subnet.hyperparameters().tempo();
            for (Keypair v : e.getValue()) {
                int uid = subnet.uidOf(v.address());
                if (uid < 0) {
                    continue;
                }
                Pending pending = commits.get(v.address());
                if (pending != null && subnet.epochIndex() == pending.epoch() + 1) {
                    submit(v, new Transaction.RevealWeights(netuid, pending.uids(), pending.values(), pending.salt(), 0));
                    commits.remove(v.address());
                } else if (pending != null && subnet.epochIndex() > pending.epoch() + 1) {
                    commits.remove(v.address()); // missed its window
                }
                // commit once per epoch, at a block of the validator's own choosing
                if (!commits.containsKey(v.address()) && (now + uid) % tempo == 0
                        && now - subnet.lastUpdate(uid) >= subnet.hyperparameters().weightsRateLimit()) {
                    commit(netuid, subnet, v);
                }
            }
        }
        if (random.nextInt(4) == 0) {
            randomRegistration();
        }
        if (random.nextInt(3) == 0) {
            randomStake();
        }
        if (random.nextInt(5) == 0) {
            Keypair from = coldkeys.get(random.nextInt(coldkeys.size()));
            Keypair to = coldkeys.get(random.nextInt(coldkeys.size()));
            submit(from, new Transaction.Transfer(to.address(), Rao.tao(1 + random.nextInt(100))));
        }
    }

    private void commit(int netuid, Subnet subnet, Keypair validator) {
        int n = subnet.size();
        int[] uids = new int[n];
        int[] values = new int[n];
        for (int uid = 0; uid < n; uid++) {
            uids[uid] = uid;
            double q = quality.getOrDefault(subnet.hotkey(uid), 0.0);
            double noisy = Math.max(0, q + (random.nextDouble() - 0.5) * 0.2);
            values[uid] = (int) Math.round(noisy * 65_535 / 1.1);
        }
        byte[] salt = new byte[16];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) random.nextInt(256);
        }
        byte[] hash = WeightCommitment.hash(validator.address(), netuid, uids, values, salt, 0);
        submit(validator, new Transaction.CommitWeights(netuid, hash));
        boolean firesNow = state.height() + 1 - subnet.lastEpochBlock() >= subnet.hyperparameters().tempo();
        commits.put(validator.address(), new Pending(netuid, uids, values, salt, subnet.epochIndex() + (firesNow ? 1 : 0)));
    }

    private void randomRegistration() {
        int netuid = 1 + random.nextInt(settings.subnets());
        Keypair coldkey = coldkeys.get(random.nextInt(coldkeys.size()));
        Keypair hotkey = newHotkey(coldkey);
        quality.put(hotkey.address(), random.nextDouble());
        submit(coldkey, new Transaction.RegisterNeuron(netuid, hotkey.address(), 0));
    }

    private void randomStake() {
        int netuid = 1 + random.nextInt(settings.subnets());
        List<Keypair> vs = validators.get(netuid);
        if (vs == null || vs.isEmpty()) {
            return;
        }
        Keypair validator = vs.get(random.nextInt(vs.size()));
        Keypair nominator = coldkeys.get(random.nextInt(coldkeys.size()));
        if (random.nextBoolean()) {
            submit(nominator, new Transaction.AddStake(validator.address(), netuid, Rao.tao(1 + random.nextInt(20)), 0));
        } else {
            long held = state.subnet(netuid).stakes().containsKey(validator.address())
                    ? state.subnet(netuid).stakes().get(validator.address()).valueOf(nominator.address()) : 0;
            if (held > 0) {
                submit(nominator, new Transaction.RemoveStake(validator.address(), netuid, 1 + random.nextLong(held), 0));
            }
        }
    }

    private Keypair newHotkey(Keypair coldkey) {
        Keypair hotkey = Keypair.fromSeed(seed("hotkey", hotkeyCounter++));
        hotkeys.put(hotkey.address(), hotkey);
        ownerOfHotkey.put(hotkey.address(), coldkey);
        return hotkey;
    }

    private void submit(Keypair signer, Transaction body) {
        long nonce = nextNonce.getOrDefault(signer.address(), state.nonce(signer.address()));
        queue.add(SignedTransaction.sign(signer, nonce, body));
        nextNonce.put(signer.address(), nonce + 1);
    }

    private BlockResult apply() {
        lastBlock = new Block(state.height() + 1, 0, List.copyOf(queue));
        BlockResult result = state.apply(lastBlock);
        transactions += queue.size();
        for (Receipt r : result.receipts()) {
            if (r instanceof Receipt.Rejected refused) {
                rejected++;
                rejections.merge(refused.reason(), 1L, Long::sum);
            }
        }
        queue.clear();
        nextNonce.clear(); // rejected transactions leave nonces where they were
        List<String> problems = Conservation.violations(state);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("conservation broken at block " + state.height() + ": " + problems);
        }
        return result;
    }

    /** One line about an epoch: size, emission, miners' and validators' shares, the top miner, the price. */
    public String summary(EpochRecord e) {
        return e.summary(state.subnet(e.netuid()).price());
    }

    /** Runs a simulation and prints its state hash: {@code LedgerSimulation BLOCKS SUBNETS NEURONS SEED}. */
    public static void main(String[] args) {
        Settings settings = new Settings(Long.parseLong(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Long.parseLong(args[3]));
        System.out.println("state-hash " + new LedgerSimulation(settings).run(epoch -> { }).stateHash());
    }

    private byte[] seed(String kind, int index) {
        return Canonical.hashing().tag("cortex-simulation").i64(settings.seed()).string(kind).i32(index).digest();
    }
}
