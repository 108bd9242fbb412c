package io.cortex.ledger.state;

import io.cortex.ledger.emission.EmissionPolicy;
import io.cortex.ledger.fixed.Rao;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import java.util.Map;
import java.util.TreeMap;

/**
 * The genesis of a ledger and its network-wide parameters (yuma.md section 2). The defaults are
 * subtensor's, except that a dev-mode testnet uses short clocks so that epochs come in seconds.
 *
 * @param devMode whether the well-known dev keys may sign (testnets only)
 * @param rootKey the coldkey that may set root-only hyper-parameters
 * @param author the coldkey that receives swap fees (the block author)
 * @param balances free TAO at genesis, by coldkey
 * @param emissionPolicy how block emission is split across subnets
 * @param subnetDefaults hyper-parameters of a new subnet
 * @param minLockCost the lowest cost of creating a subnet, rao
 * @param lockReductionInterval blocks over which the doubled lock cost decays back
 * @param taoWeight weight of root TAO against alpha in the root proportion (section 5.4)
 * @param maxEpochsPerBlock epochs run per block; further due ones wait a block
 * @param ownerCut the subnet owner's cut of alpha emission, u16 proportion
 * @param defaultTake a new validator's take, u16 proportion, and its maximum
 * @param maxCommits unrevealed commits a hotkey may hold per subnet
 * @param startBurn registration burn of a new subnet, rao
 * @param flowHalfLife blocks for the net TAO flow average to halve
 * @param epochOverrides hyper-parameters every epoch reads in place of each subnet's own (empty on a real
 *                       network; a counterfactual replay sets them, such as {@code mean_consensus = 1})
 * @param firstPoolPrice TAO per alpha in the first subnet's pool (later subnets start at the median price);
 *                       1, as in subtensor, unless a network is set up to start from market prices
 */
public record LedgerConfig(
        boolean devMode,
        Address rootKey,
        Address author,
        Map<Address, Long> balances,
        EmissionPolicy emissionPolicy,
        SubnetHyperparameters subnetDefaults,
        long minLockCost,
        long lockReductionInterval,
        double taoWeight,
        int maxEpochsPerBlock,
        int ownerCut,
        int defaultTake,
        int maxCommits,
        long startBurn,
        long flowHalfLife,
        Map<String, Long> epochOverrides,
        double firstPoolPrice) {

    public LedgerConfig {
        if (!(firstPoolPrice > 0) || Double.isInfinite(firstPoolPrice)) {
            throw new IllegalArgumentException("firstPoolPrice must be positive, got " + firstPoolPrice);
        }
        balances = Map.copyOf(new TreeMap<>(balances));
        epochOverrides = Map.copyOf(new TreeMap<>(epochOverrides));
        SubnetHyperparameters check = SubnetHyperparameters.defaults();
        for (var e : epochOverrides.entrySet()) {
            check = check.with(e.getKey(), e.getValue()); // a name and value every subnet could hold
        }
    }

    /** The rules of a real network: no epoch overrides. */
    public LedgerConfig(boolean devMode, Address rootKey, Address author, Map<Address, Long> balances,
                        EmissionPolicy emissionPolicy, SubnetHyperparameters subnetDefaults, long minLockCost,
                        long lockReductionInterval, double taoWeight, int maxEpochsPerBlock, int ownerCut, int defaultTake,
                        int maxCommits, long startBurn, long flowHalfLife) {
        this(devMode, rootKey, author, balances, emissionPolicy, subnetDefaults, minLockCost, lockReductionInterval,
                taoWeight, maxEpochsPerBlock, ownerCut, defaultTake, maxCommits, startBurn, flowHalfLife, Map.of(), 1.0);
    }

    /**
     * A copy whose epochs read these hyper-parameters in place of each subnet's own: a counterfactual rule
     * for {@code cortex replay}, never a real network's.
     */
    public LedgerConfig withEpochOverrides(Map<String, Long> overrides) {
        return with(c -> c.epochOverrides = overrides);
    }

    /**
     * A local testnet: dev mode, the dev coldkeys funded with 1 000 000 TAO each, alice as root and author,
     * a tempo of 20 blocks, short rate limits and immunity, a 100 TAO lock.
     */
    public static LedgerConfig devnet() {
        Map<Address, Long> balances = new TreeMap<>();
        for (String name : DevKeys.NAMES) {
            balances.put(DevKeys.coldkey(name).address(), Rao.tao(1_000_000));
        }
        SubnetHyperparameters hyper = SubnetHyperparameters.defaults()
                .with("tempo", 20)
                .with("immunity_period", 100)
                .with("weights_rate_limit", 5)
                .with("burn_half_life", 100)
                .with("min_burn", 100_000_000)
                .with("max_burn", Rao.tao(100));
        Address alice = DevKeys.coldkey("alice").address();
        return new LedgerConfig(true, alice, alice, balances, EmissionPolicy.named("price-ema"), hyper,
                Rao.tao(100), 14 * 7200, 0.18, 2, 11_796, 11_796, 10, Rao.tao(1), 216_000);
    }

    /**
     * A network outside dev mode: no balances, {@code rootKey} as root and author, subtensor's subnet defaults
     * (a tempo of 360 blocks ...); the lock, takes and emission as {@link #devnet()}'s.
     */
    public static LedgerConfig openNetwork(Address rootKey) {
        LedgerConfig devnet = devnet();
        return new LedgerConfig(false, rootKey, rootKey, Map.of(), devnet.emissionPolicy, SubnetHyperparameters.defaults(),
                devnet.minLockCost, devnet.lockReductionInterval, devnet.taoWeight, devnet.maxEpochsPerBlock,
                devnet.ownerCut, devnet.defaultTake, devnet.maxCommits, devnet.startBurn, devnet.flowHalfLife);
    }

    /** A copy whose root key (Bittensor's sudo key) and author are these. */
    public LedgerConfig withRootKey(Address root, Address blockAuthor) {
        return with(c -> {
            c.rootKey = root;
            c.author = blockAuthor;
        });
    }

    public LedgerConfig withEmissionPolicy(EmissionPolicy policy) {
        return with(c -> c.emissionPolicy = policy);
    }

    /**
     * A copy whose lock decays back to the minimum over {@code blocks} blocks: 1 lets a simulation create a
     * subnet per block at the minimum lock, where the doubling would otherwise price out the tenth or so.
     */
    public LedgerConfig withLockReductionInterval(long blocks) {
        return with(c -> c.lockReductionInterval = blocks);
    }

    /** A copy that runs at most {@code epochs} subnets' epochs in one block. */
    public LedgerConfig withMaxEpochsPerBlock(int epochs) {
        return with(c -> c.maxEpochsPerBlock = epochs);
    }

    public LedgerConfig withSubnetDefaults(SubnetHyperparameters defaults) {
        return with(c -> c.subnetDefaults = defaults);
    }

    public LedgerConfig withBalances(Map<Address, Long> genesis) {
        return with(c -> c.balances = genesis);
    }

    public LedgerConfig withDevMode(boolean dev) {
        return with(c -> c.devMode = dev);
    }

    /** A copy whose first subnet's pool starts at this price, TAO per alpha. */
    public LedgerConfig withFirstPoolPrice(double price) {
        return with(c -> c.firstPoolPrice = price);
    }

    /** A copy whose subnet lock (and so each new pool's TAO) is at least this, rao. */
    public LedgerConfig withMinLockCost(long rao) {
        return with(c -> c.minLockCost = rao);
    }

    /** A copy whose net TAO flow and demand averages halve every {@code blocks} blocks. */
    public LedgerConfig withFlowHalfLife(long blocks) {
        return with(c -> c.flowHalfLife = blocks);
    }

    /** A copy with some components changed: the with-methods' one way to build one. */
    private LedgerConfig with(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.config();
    }

    /** The components of a config being copied, each settable once before {@link #config()}. */
    private static final class Copy {
        boolean devMode;
        Address rootKey;
        Address author;
        Map<Address, Long> balances;
        EmissionPolicy emissionPolicy;
        SubnetHyperparameters subnetDefaults;
        long minLockCost;
        long lockReductionInterval;
        double taoWeight;
        int maxEpochsPerBlock;
        int ownerCut;
        int defaultTake;
        int maxCommits;
        long startBurn;
        long flowHalfLife;
        Map<String, Long> epochOverrides;
        double firstPoolPrice;

        Copy(LedgerConfig c) {
            devMode = c.devMode;
            rootKey = c.rootKey;
            author = c.author;
            balances = c.balances;
            emissionPolicy = c.emissionPolicy;
            subnetDefaults = c.subnetDefaults;
            minLockCost = c.minLockCost;
            lockReductionInterval = c.lockReductionInterval;
            taoWeight = c.taoWeight;
            maxEpochsPerBlock = c.maxEpochsPerBlock;
            ownerCut = c.ownerCut;
            defaultTake = c.defaultTake;
            maxCommits = c.maxCommits;
            startBurn = c.startBurn;
            flowHalfLife = c.flowHalfLife;
            epochOverrides = c.epochOverrides;
            firstPoolPrice = c.firstPoolPrice;
        }

        LedgerConfig config() {
            return new LedgerConfig(devMode, rootKey, author, balances, emissionPolicy, subnetDefaults, minLockCost, lockReductionInterval, taoWeight, maxEpochsPerBlock, ownerCut, defaultTake, maxCommits, startBurn, flowHalfLife, epochOverrides, firstPoolPrice);
        }
    }
}
