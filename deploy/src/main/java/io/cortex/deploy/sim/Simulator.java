package io.cortex.deploy.sim;

import io.cortex.actors.neuron.WeightsTransactions;
import io.cortex.deploy.sim.Scenario.MinerClass;
import io.cortex.deploy.sim.Scenario.ValidatorClass;
import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.emission.BlockEmission;
import io.cortex.ledger.emission.EmissionPolicy;
import io.cortex.ledger.state.Block;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.Conservation;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.state.Subnet;
import io.cortex.ledger.state.SubnetHyperparameters;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.SubnetMechanisms;
import io.cortex.subnets.adversary.CopycatMiner;
import io.cortex.subnets.adversary.ReplayMiner;
import io.cortex.subnets.validator.ValidatorCycle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Runs a {@link Scenario} in one JVM as fast as it goes: the real ledger state machine (the one the ledger
 * actor journals) applies every block, with every transaction signed and verified; the subnets' real
 * mechanisms make the tasks, answer them and score them; validators run the live validator's own
 * {@link ValidatorCycle} (query rounds, copies scored 0, a moving average of scores per miner, the baseline,
 * quantized weights once per epoch, set directly or committed and revealed). Queries are direct calls, not
 * Aeron round trips, and a block is made as soon as
 * the last one is applied (block time 0): a seed gives one final state hash, in any JVM.
 *
 * <p>Adversaries ({@link MinerClass}, {@link ValidatorClass}) act through the same transactions as everyone.
 */
// long on purpose: one run of a scenario, set-up, rounds, adversaries' weights and epochs, reads top to bottom as SIMULATE.md tells it
public final class Simulator {

    /** What a query's round trip adds to a miner's own time, in a simulation. */
    static final long NETWORK_MILLIS = 2;
    /** What relaying another miner's answer adds, for a lazy miner. */
    static final long RELAY_MILLIS = 40;
    /**
     * What each owner and neuron gets at genesis beside a validator's stake: enough for the subnet lock and a
     * registration at the highest burn, and little more. Block emission halves once issuance passes half the
     * supply, so a scenario's genesis must stay well below it.
     */
    static final long OWNER_FUNDS = Rao.tao(1_000);
    static final long NEURON_FUNDS = Rao.tao(200);
    /** Validators stake in this many turns. */
    static final int STAKE_TURNS = 10;

    private final Scenario scenario;
    private final String policy;
    private final LedgerState state;
    private final List<SimSubnet> subnets = new ArrayList<>();
    private final List<SignedTransaction> queue = new ArrayList<>();
    private final Map<Address, Long> nextNonce = new HashMap<>();
    private final Map<String, Keypair> keys = new HashMap<>();
    private final SimulationResult.Builder result;
    private Recording.Writer recording;
    private long transactions;
    private long rejected;
    private final Map<String, Long> rejections = new TreeMap<>();

    /** One run of a scenario under one emission policy (one of the scenario's). */
    public Simulator(Scenario scenario, String policy) {
        this.scenario = scenario;
        this.policy = policy;
        List<Scenario.SubnetSpec> specs = scenario.expandedSubnets();
        SubnetHyperparameters hyper = scenario.subnetHyperparameters();
        Map<Address, Long> balances = new TreeMap<>();
        for (int i = 0; i < specs.size(); i++) {
            subnets.add(subnet(i + 1, specs.get(i), balances));
        }
        long genesis = balances.values().stream().reduce(0L, Math::addExact);
        if (genesis > BlockEmission.SUPPLY / 2) {
            throw new IllegalArgumentException("the scenario's genesis needs " + Rao.format(genesis) + " TAO, past half the "
                    + "supply, where block emission halves; lower the validators' stakes");
        }
        LedgerConfig devnet = LedgerConfig.devnet();
        // One subnet created per block, the lock back at its minimum each time; every due epoch runs.
        LedgerConfig config = devnet.withBalances(balances).withEmissionPolicy(EmissionPolicy.named(policy, SubnetMechanisms.loader()))
                .withSubnetDefaults(hyper).withLockReductionInterval(1)
                .withMinLockCost(Math.round(scenario.pools().tao() * Rao.PER_TAO)).withFirstPoolPrice(scenario.pools().price())
                .withFlowHalfLife(scenario.pools().flowHalfLife())
                .withMaxEpochsPerBlock(Math.max(devnet.maxEpochsPerBlock(), specs.size()));
        this.state = LedgerState.genesis(config);
        this.result = new SimulationResult.Builder(scenario, policy);
    }

    /** A subnet of the scenario with its owner, users, miners and validators, and their genesis funds in {@code balances}. */
    private SimSubnet subnet(int netuid, Scenario.SubnetSpec spec, Map<Address, Long> balances) {
        SimSubnet s = new SimSubnet(netuid, spec, SubnetMechanisms.named(spec.mechanism()),
                new SplittableRandom(seedOf("subnet-random", netuid, 0)));
        s.ownerColdkey = key("owner", netuid, 0);
        s.ownerHotkey = key("owner-hotkey", netuid, 0);
        balances.merge(s.ownerColdkey.address(), Math.max(OWNER_FUNDS, Math.round(scenario.pools().tao() * Rao.PER_TAO) + Rao.tao(100)),
                Math::addExact);
        // the subnet's users: what they pay an epoch, and enough to pay it every epoch of the run
        s.paymentPerEpoch = Math.round(spec.demandLow() * scenario.tempo() * Rao.PER_TAO);
        if (s.paymentPerEpoch > 0) {
            s.user = key("user", netuid, 0);
            balances.merge(s.user.address(), Math.multiplyExact(s.paymentPerEpoch, scenario.epochs() + 2L),
                    Math::addExact);
        }
        addMiners(s, spec, balances);
        addValidators(s, spec, balances);
        for (SimMiner m : s.miners) {
            m.model = model(s, m);
        }
        return s;
    }

    private void addMiners(SimSubnet s, Scenario.SubnetSpec spec, Map<Address, Long> balances) {
        int netuid = s.netuid;
        for (Scenario.MinerGroup g : spec.miners()) {
            for (int k = 0; k < g.count(); k++) {
                SimMiner m = new SimMiner(s.miners.size(), g, key("miner", netuid, s.miners.size()));
                m.coldkey = g.kind() == MinerClass.SYBIL ? key("sybil-owner", netuid, 0)
                        : key("miner-coldkey", netuid, m.index);
                m.quality = g.quality(k);
                m.random = new SplittableRandom(seedOf("miner-random", netuid, m.index));
                s.miners.add(m);
                s.minerOf.put(m.hotkey.address(), m);
                balances.merge(m.coldkey.address(), NEURON_FUNDS, Math::addExact);
            }
        }
    }

    private void addValidators(SimSubnet s, Scenario.SubnetSpec spec, Map<Address, Long> balances) {
        int netuid = s.netuid;
        for (Scenario.ValidatorGroup g : spec.validators()) {
            for (int k = 0; k < g.count(); k++) {
                SimValidator v = new SimValidator(s.validators.size(), g, key("validator", netuid, s.validators.size()));
                v.coldkey = key("validator-coldkey", netuid, v.index);
                v.random = new SplittableRandom(seedOf("validator-random", netuid, v.index));
                v.cycle = new ValidatorCycle<>(s.mechanism, new ValidatorCycle.Settings(
                        ValidatorCycle.Settings.defaults().scoreAlpha(), scenario.weighting(), 0), v.random, s::scored);
                s.validators.add(v);
                balances.merge(v.coldkey.address(), Rao.tao(g.stakeTao()) + NEURON_FUNDS, Math::addExact);
            }
        }
    }

    /** Progress: one call per epoch of the last subnet, with epochs done and the total. */
    public interface Progress {
        void epoch(int done, int total, long block);
    }

    /**
     * Records every block this simulation applies into {@code dir} ({@link Recording}), for {@code cortex
     * replay --recording}; call before {@link #run}.
     */
    public Simulator recordingTo(Path dir) throws IOException {
        recording = new Recording.Writer(dir, state.config(), "simulation-" + scenario.name() + "-" + policy);
        return this;
    }

    /** The most subnets' epochs any one block ran: how well the epochs spread over blocks. */
    private int mostEpochsInABlock;

    /** Sets up the subnets and neurons, runs every subnet's epochs, and returns what was measured. */
    public SimulationResult run(Progress progress) {
        long start = System.nanoTime();
        setUp();
        int total = scenario.epochs();
        int lastReported = -1;
        while (subnets.stream().anyMatch(s -> s.epochsRun < total)) {
            block();
            int done = subnets.stream().mapToInt(s -> s.epochsRun).min().orElse(0);
            if (done != lastReported) {
                lastReported = done;
                progress.epoch(done, total, state.height());
            }
        }
        if (recording != null) {
            try {
                recording.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot finish the recording", e);
            }
        }
        return result.build(Canonical.hex(state.stateHash()), state.height(), transactions, rejected, rejections,
                (System.nanoTime() - start) / 1e9);
    }

    public LedgerState state() {
        return state;
    }

    // ------------------------------------------------------------------------------------------ set-up

    private void setUp() {
        // Subnets are created one per block, the neurons register, and only then do all subnets start (and
        // emit) together, with the validators' stake: no subnet's owner banks emission while the others set up.
        for (SimSubnet s : subnets) {
            submit(s.ownerColdkey, new Transaction.CreateSubnet(s.ownerHotkey.address()));
            apply();
            if (state.subnet(s.netuid) == null || !state.subnet(s.netuid).ownerHotkey().equals(s.ownerHotkey.address())) {
                throw new IllegalStateException("subnet " + s.netuid + " was not created: " + rejections);
            }
        }
        register();
        for (SimSubnet s : subnets) {
            submit(s.ownerColdkey, new Transaction.StartSubnet(s.netuid));
        }
        stake();
        apply();
        for (SimSubnet s : subnets) {
            label(s);
        }
    }

    /** Every neuron registers, in one block; what each miner coldkey burned goes into the result. */
    private void register() {
        Map<Address, Long> before = new HashMap<>();
        for (SimSubnet s : subnets) {
            for (SimMiner m : s.miners) {
                before.putIfAbsent(m.coldkey.address(), state.balance(m.coldkey.address()));
                submit(m.coldkey, new Transaction.RegisterNeuron(s.netuid, m.hotkey.address(), 0));
            }
            for (SimValidator v : s.validators) {
                submit(v.coldkey, new Transaction.RegisterNeuron(s.netuid, v.hotkey.address(), 0));
            }
        }
        apply();
        // what each miner coldkey burned to register, by label (a sybil owner's one coldkey pays for its swarm)
        for (SimSubnet s : subnets) {
            for (SimMiner m : s.miners) {
                Long was = before.remove(m.coldkey.address());
                if (was != null) {
                    result.minerBurn(m.group.label(), was - state.balance(m.coldkey.address()));
                }
            }
        }
    }

    private void stake() {
        // Stake goes through the subnet's pool, so the earlier of two equal stakes buys more alpha: validators
        // stake in turns, a tenth at a time, in one order and then the reverse, so equal TAO gives about equal alpha.
        for (int turn = 0; turn < STAKE_TURNS; turn++) {
            for (SimSubnet s : subnets) {
                List<SimValidator> order = new ArrayList<>(s.validators);
                if (turn % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (SimValidator v : order) {
                    long tenth = Rao.tao(v.group.stakeTao()) / STAKE_TURNS;
                    submit(v.coldkey, new Transaction.AddStake(v.hotkey.address(), s.netuid, tenth, 0));
                }
            }
        }
    }

    /** Checks every neuron of the subnet holds a uid, and labels each hotkey with its group and role. */
    private void label(SimSubnet s) {
        Subnet st = state.subnet(s.netuid);
        for (SimMiner m : s.miners) {
            requireRegistered(st, m.hotkey.address(), "miner " + m.index);
            s.labelOf.put(m.hotkey.address(), m.group.label());
            s.roleOf.put(m.hotkey.address(), "miner");
        }
        for (SimValidator v : s.validators) {
            requireRegistered(st, v.hotkey.address(), "validator " + v.index);
            s.labelOf.put(v.hotkey.address(), v.group.label());
            s.roleOf.put(v.hotkey.address(), "validator");
        }
        s.labelOf.put(s.ownerHotkey.address(), "owner");
        s.roleOf.put(s.ownerHotkey.address(), "owner");
        s.seenEpoch = st.epochIndex();
    }

    private void requireRegistered(Subnet st, Address hotkey, String who) {
        if (st.uidOf(hotkey) < 0) {
            List<String> why = rejections.keySet().stream().filter(k -> k.startsWith("RegisterNeuron")).toList();
            throw new IllegalStateException("netuid " + st.netuid() + ": " + who + " could not register"
                    + (why.isEmpty() ? "" : " (" + String.join(", ", why) + ")"));
        }
    }

    // ------------------------------------------------------------------------------------------ blocks

    private void block() {
        long now = state.height() + 1;
        // Each subnet's neurons touch only their own state and random streams: rounds run in parallel,
        // transactions are queued in netuid order afterwards, so the result does not depend on threads.
        List<List<Planned>> planned = IntStream.range(0, subnets.size()).parallel()
                .mapToObj(i -> act(subnets.get(i), now)).toList();
        for (List<Planned> p : planned) {
            for (Planned t : p) {
                submit(t.signer(), t.body());
            }
        }
        BlockResult r = apply();
        mostEpochsInABlock = Math.max(mostEpochsInABlock, r.epochs().size());
        r.taoIn().forEach((netuid, tao) -> subnets.get(netuid - 1).taoInSinceEpoch += tao);
        for (EpochRecord e : r.epochs()) {
            epoch(subnets.get(e.netuid() - 1), e);
        }
    }

    /** A transaction a neuron wants in the next block. */
    private record Planned(Keypair signer, Transaction body) {
    }

    private List<Planned> act(SimSubnet s, long now) {
        Subnet st = state.subnet(s.netuid);
        List<Planned> out = new ArrayList<>();
        long sinceEpoch = now - st.lastEpochBlock();
        if (st.epochIndex() != s.seenEpoch) {
            s.seenEpoch = st.epochIndex();
            Metagraph metagraph = Metagraph.of(state, s.netuid);
            s.taskSeed = metagraph.taskSeed();
            for (SimValidator v : s.validators) {
                v.cycle.leaveOneOut(metagraph.leaveOneOut());
            }
            drift(s);
            if (s.user != null) {
                out.add(new Planned(s.user, new Transaction.PaySubnet(s.netuid, s.paymentPerEpoch)));
            }
            s.topMiner = topMiner(s, st, false);
            for (SimValidator v : s.validators) {
                if (v.group.kind() == ValidatorClass.HONEST) {
                    weights(s, st, v, honestWeights(st, v), out);
                } else if (v.group.kind() == ValidatorClass.CABAL) {
                    weights(s, st, v, cabalWeights(s, st), out);
                }
            }
        }
        if (sinceEpoch == 2) {
            for (SimValidator v : s.validators) {
                if (v.group.kind() == ValidatorClass.COPIER) {
                    weights(s, st, v, copiedWeights(s, st, v), out);
                }
            }
        }
        int tempo = st.hyperparameters().tempo();
        int rounds = scenario.roundsPerEpoch();
        for (int k = 0; k < rounds; k++) {
            if (sinceEpoch == 3 + (long) k * (tempo - 2) / rounds) {
                for (SimValidator v : s.validators) {
                    if (v.group.kind() == ValidatorClass.HONEST) {
                        round(s, st, v, k);
                    }
                }
            }
        }
        return out;
    }

    /** Each miner of a quality range draws a new quality in it, with the scenario's drift probability. */
    private void drift(SimSubnet s) {
        if (scenario.drift() <= 0) {
            return;
        }
        for (SimMiner m : s.miners) {
            if (m.group.drifts() && s.random.nextDouble() < scenario.drift()) {
                m.quality = m.group.qualityLow() + (m.group.qualityHigh() - m.group.qualityLow()) * s.random.nextDouble();
                m.model = model(s, m);
            }
        }
    }

    private SubnetMechanism.MinerModel model(SimSubnet s, SimMiner m) {
        return switch (m.group.kind()) {
            case HONEST, SYBIL, CABAL -> s.mechanism.miner(m.quality);
            case BASELINE -> s.mechanism.baseline();
            case LAZY -> null; // relays the answers of the miner paid most (round)
            case REPLAY -> new ReplayMiner(s.mechanism.miner(m.quality));
        };
    }

    /**
     * The miner the last epoch paid most incentive, null while none was paid; lazy miners count only when
     * {@code withLazy} (a lazy miner copies the best of the others).
     */
    private static SimMiner topMiner(SimSubnet s, Subnet st, boolean withLazy) {
        SimMiner best = null;
        int bestIncentive = 0;
        for (SimMiner m : s.miners) {
            int uid = st.uidOf(m.hotkey.address());
            if (uid >= 0 && (withLazy || m.group.kind() != MinerClass.LAZY) && st.incentive(uid) > bestIncentive) {
                best = m;
                bestIncentive = st.incentive(uid);
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------ rounds

    /**
     * A validator's round: the round's task to every miner, a lazy miner relaying the answer the miner paid
     * most gave (it sees that answer, and cannot have that miner work its own task).
     */
    private void round(SimSubnet s, Subnet st, SimValidator v, int roundInEpoch) {
        ValidatorCycle<Address> cycle = v.cycle;
        if (scenario.sharedTasks()) {
            cycle.beginRound(ValidatorCycle.roundSeed(s.taskSeed, roundInEpoch)); // as the live validators do
        } else {
            cycle.beginRound();
        }
        long round = cycle.round();
        Map<SimMiner, SubnetMechanism.Answer> given = new HashMap<>();
        for (SimMiner m : s.miners) {
            if (m.group.kind() != MinerClass.LAZY) {
                SubnetMechanism.Task task = cycle.task(m.hotkey.address());
                SubnetMechanism.Answer a = m.model.answer(task.payload(), m.random);
                given.put(m, a);
                cycle.answer(round, m.hotkey.address(), task, a.payload(), latencyNanos(a));
            }
        }
        for (SimMiner m : s.miners) {
            if (m.group.kind() == MinerClass.LAZY) {
                SubnetMechanism.Task task = cycle.task(m.hotkey.address());
                SimMiner source = s.topMiner;
                SubnetMechanism.Answer a = source == null ? s.baseline.answer(task.payload(), m.random)
                        : COPYCAT.relay(given.get(source));
                cycle.answer(round, m.hotkey.address(), task, a.payload(), latencyNanos(a));
            }
        }
        cycle.endRound();
    }

    private static final CopycatMiner COPYCAT = new CopycatMiner(RELAY_MILLIS);

    private static long latencyNanos(SubnetMechanism.Answer a) {
        return (a.delayMillis() + NETWORK_MILLIS) * 1_000_000;
    }

    // ------------------------------------------------------------------------------------------ weights

    /** Weights from a validator's scores, as the scenario's weighting says; null when it has none yet. */
    private static ValidatorCycle.Weights honestWeights(Subnet st, SimValidator v) {
        List<Address> byUid = new ArrayList<>(st.size());
        for (int uid = 0; uid < st.size(); uid++) {
            byUid.add(st.hotkey(uid));
        }
        return v.cycle.weights(byUid, v.hotkey.address());
    }

    /** The cabal's miners, weighted equally. */
    private static ValidatorCycle.Weights cabalWeights(SimSubnet s, Subnet st) {
        double[] value = new double[st.size()];
        for (SimMiner m : s.miners) {
            int uid = st.uidOf(m.hotkey.address());
            if (uid >= 0 && m.group.kind() == MinerClass.CABAL) {
                value[uid] = 1;
            }
        }
        return ValidatorCycle.Weights.quantize(value);
    }

    /**
     * What a weight copier sets: the weights the ledger shows for the other validators (under commit-reveal,
     * those revealed at the start of this epoch), each row normalised, averaged by stake.
     */
    private static ValidatorCycle.Weights copiedWeights(SimSubnet s, Subnet st, SimValidator copier) {
        double[] value = new double[st.size()];
        for (SimValidator v : s.validators) {
            int uid = st.uidOf(v.hotkey.address());
            if (v == copier || uid < 0) {
                continue;
            }
            int[] uids = st.weightUids(uid);
            int[] values = st.weightValues(uid);
            double sum = 0;
            for (int x : values) {
                sum += x;
            }
            double stake = st.stakeOf(v.hotkey.address());
            for (int i = 0; i < uids.length && sum > 0; i++) {
                if (uids[i] < value.length) {
                    value[uids[i]] += stake * values[i] / sum;
                }
            }
        }
        value[st.uidOf(copier.hotkey.address())] = 0;
        double max = 0;
        for (double x : value) {
            max = Math.max(max, x);
        }
        if (max <= 0) {
            return null;
        }
        for (int uid = 0; uid < value.length; uid++) {
            value[uid] /= max;
        }
        return ValidatorCycle.Weights.quantize(value);
    }

    /** What the validator's weights schedule says to submit this epoch for these weights. */
    private void weights(SimSubnet s, Subnet st, SimValidator v, ValidatorCycle.Weights w, List<Planned> out) {
        for (ValidatorCycle.WeightsAction action : v.cycle.epoch(st.epochIndex(), st.hyperparameters().commitReveal(),
                st.hyperparameters().revealPeriod(), w)) {
            out.add(new Planned(v.hotkey, WeightsTransactions.of(s.netuid, v.hotkey.address(), action)));
        }
    }

    // ------------------------------------------------------------------------------------------ epochs

    private void epoch(SimSubnet s, EpochRecord e) {
        Subnet st = state.subnet(s.netuid);
        int epoch = s.epochsRun++;
        long taoIn = s.taoInSinceEpoch;
        long paid = s.paidSinceEpoch;
        s.taoInSinceEpoch = 0;
        s.paidSinceEpoch = 0;
        SimMiner top = topMiner(s, st, true);
        double bestScore = 0;
        for (SimMiner m : s.miners) {
            if (m.scoreCount > 0) {
                bestScore = Math.max(bestScore, m.scoreSum / m.scoreCount);
            }
        }
        double topScore = top == null || top.scoreCount == 0 ? 0 : top.scoreSum / top.scoreCount;
        double baselineScore = s.baselineCount == 0 ? 0 : s.baselineSum / s.baselineCount;
        result.subnetEpoch(new SimulationResult.SubnetEpoch(epoch, s.netuid, s.spec.mechanism(), e.input().emission(),
                taoIn, st.price(), top == null ? "" : top.group.label(), top == null ? 0 : top.quality, topScore,
                bestScore, baselineScore, paid));
        for (SimMiner m : s.miners) {
            m.scoreSum = 0;
            m.scoreCount = 0;
        }
        s.baselineSum = 0;
        s.baselineCount = 0;
        Map<String, SimulationResult.ClassEpoch> byLabel = new TreeMap<>();
        for (int uid = 0; uid < e.input().n(); uid++) {
            Address hotkey = st.hotkey(uid);
            String label = s.labelOf.getOrDefault(hotkey, "other");
            String role = s.roleOf.getOrDefault(hotkey, "other");
            SimulationResult.ClassEpoch row = byLabel.computeIfAbsent(role + "/" + label,
                    k -> new SimulationResult.ClassEpoch(epoch, s.netuid, s.spec.mechanism(), label, role));
            row.neurons++;
            row.incentive += e.output().incentive()[uid] / 65_535.0;
            row.minerAlpha += e.payout().miner()[uid];
            row.validatorAlpha += e.payout().validator()[uid];
            row.stake += e.input().stake()[uid];
        }
        byLabel.values().forEach(result::classEpoch);
    }

    // ------------------------------------------------------------------------------------------ ledger

    private void submit(Keypair signer, Transaction body) {
        long nonce = nextNonce.getOrDefault(signer.address(), state.nonce(signer.address()));
        queue.add(SignedTransaction.sign(signer, nonce, body));
        nextNonce.put(signer.address(), nonce + 1);
    }

    private BlockResult apply() {
        Block block = new Block(state.height() + 1, 0, List.copyOf(queue));
        BlockResult r = state.apply(block);
        if (recording != null) {
            recording.write(block, r.header().stateHash());
        }
        transactions += queue.size();
        for (int i = 0; i < r.receipts().size(); i++) {
            if (r.receipts().get(i) instanceof Receipt.Rejected refused) {
                rejected++;
                rejections.merge(queue.get(i).body().getClass().getSimpleName() + ": " + refused.reason(), 1L, Long::sum);
            } else if (queue.get(i).body() instanceof Transaction.PaySubnet p) {
                subnets.get(p.netuid() - 1).paidSinceEpoch += p.amount();
            }
        }
        queue.clear();
        nextNonce.clear();
        if (state.height() % 100 == 0) {
            List<String> problems = Conservation.violations(state);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("conservation broken at block " + state.height() + ": " + problems);
            }
        }
        return r;
    }

    private Keypair key(String kind, int netuid, int index) {
        return keys.computeIfAbsent(kind + "/" + netuid + "/" + index, k -> Keypair.fromSeed(
                Canonical.hashing().tag("cortex-sim/key").i64(scenario.seed()).string(kind).i32(netuid).i32(index).digest()));
    }

    private long seedOf(String kind, int netuid, int index) {
        byte[] d = Canonical.hashing().tag("cortex-sim/random").i64(scenario.seed()).string(kind).i32(netuid).i32(index)
                .digest();
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (d[i] & 0xff);
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------ neurons

    private static final class SimSubnet {
        final int netuid;
        final Scenario.SubnetSpec spec;
        final SubnetMechanism mechanism;
        final SubnetMechanism.MinerModel baseline;
        final SplittableRandom random;
        final List<SimMiner> miners = new ArrayList<>();
        final List<SimValidator> validators = new ArrayList<>();
        final Map<Address, String> labelOf = new HashMap<>();
        final Map<Address, String> roleOf = new HashMap<>();
        Keypair ownerColdkey;
        Keypair ownerHotkey;
        long seenEpoch;
        /** The metagraph's task seed for the epoch: every validator of the subnet draws its rounds' tasks from it. */
        long taskSeed;
        /** TAO the coinbase put into the pool, and TAO users paid, since the last epoch; rao. */
        long taoInSinceEpoch;
        long paidSinceEpoch;
        /** The subnet's users (none when its demand is 0) and what they pay each epoch, rao. */
        Keypair user;
        long paymentPerEpoch;
        int epochsRun;
        volatile SimMiner topMiner;
        final Map<Address, SimMiner> minerOf = new HashMap<>();
        double baselineSum;
        long baselineCount;

        SimSubnet(int netuid, Scenario.SubnetSpec spec, SubnetMechanism mechanism, SplittableRandom random) {
            this.netuid = netuid;
            this.spec = spec;
            this.mechanism = mechanism;
            this.baseline = mechanism.baseline();
            this.random = random;
        }

        /** Every score a validator folds in, summed per miner and for the baseline for the epoch's report. */
        void scored(Address miner, double score, boolean copy) {
            if (miner == null) {
                baselineSum += score;
                baselineCount++;
                return;
            }
            SimMiner m = minerOf.get(miner);
            m.scoreSum += score;
            m.scoreCount++;
        }
    }

    private static final class SimMiner {
        final int index;
        final Scenario.MinerGroup group;
        final Keypair hotkey;
        Keypair coldkey;
        double quality;
        SubnetMechanism.MinerModel model;
        SplittableRandom random;
        double scoreSum;
        long scoreCount;

        SimMiner(int index, Scenario.MinerGroup group, Keypair hotkey) {
            this.index = index;
            this.group = group;
            this.hotkey = hotkey;
        }
    }

    private static final class SimValidator {
        final int index;
        final Scenario.ValidatorGroup group;
        final Keypair hotkey;
        Keypair coldkey;
        SplittableRandom random;
        ValidatorCycle<Address> cycle;

        SimValidator(int index, Scenario.ValidatorGroup group, Keypair hotkey) {
            this.index = index;
            this.group = group;
            this.hotkey = hotkey;
        }
    }

    /** Runs each of the scenario's emission policies in turn. */
    public static List<SimulationResult> runAll(Scenario scenario, Consumer<String> log) {
        try {
            return runAll(scenario, log, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs each of the scenario's emission policies in turn, recording each into {@code record/POLICY} unless null. */
    public static List<SimulationResult> runAll(Scenario scenario, Consumer<String> log, Path record) throws IOException {
        List<SimulationResult> results = new ArrayList<>();
        for (String p : scenario.emissionPolicies()) {
            Simulator sim = new Simulator(scenario, p);
            if (record != null) {
                sim.recordingTo(record.resolve(p));
            }
            log.accept("policy " + p + ": " + sim.subnets.size() + " subnets, "
                    + sim.subnets.stream().mapToInt(s -> s.spec.neurons()).sum() + " neurons, " + scenario.epochs()
                    + " epochs of " + scenario.tempo() + " blocks");
            results.add(sim.run((done, total, block) -> log.accept(String.format(java.util.Locale.ROOT,
                    "  epoch %d/%d (block %d)", done, total, block))));
            log.accept("  most epochs in one block: " + sim.mostEpochsInABlock + " of " + sim.subnets.size() + " subnets");
        }
        return results;
    }
}
