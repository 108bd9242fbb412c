package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.yuma.Hyperparameters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * A subnet's hyper-parameters (yuma.md section 2), typed. Each also has a name, under which transactions set
 * it and the state hash encodes it, a range, and whether the subnet owner may set it or only the root key.
 * Immutable; {@link #with} returns a changed copy.
 * Defaults are what {@code init_new_network} writes, except where a testnet needs shorter clocks (the
 * ledger config overrides them).
 */
public record SubnetHyperparameters(
        int tempo,
        int kappa,
        int bondsPenalty,
        long bondsMovingAverage,
        boolean yuma3,
        boolean liquidAlpha,
        boolean meanConsensus,
        boolean leaveOneOut,
        int alphaLow,
        int alphaHigh,
        int alphaSigmoidSteepness,
        int maxAllowedUids,
        int maxAllowedValidators,
        int minAllowedWeights,
        long immunityPeriod,
        long activityCutoffFactorMilli,
        long weightsRateLimit,
        boolean commitReveal,
        int revealPeriod,
        long stakeThreshold,
        long minBurn,
        long maxBurn,
        long burnHalfLife,
        long burnIncreaseMilli,
        boolean registrationAllowed,
        boolean ownerCutEnabled,
        long weightsVersionKey,
        int swapFee) {

    /** One parameter: its name, default, range, who sets it, and what it means. */
    public record Parameter(String name, long defaultValue, long min, long max, boolean rootOnly, String meaning) {
    }

    private static final Map<String, Parameter> PARAMETERS = new LinkedHashMap<>();
    private static final Map<String, ToLongFunction<SubnetHyperparameters>> READ = new TreeMap<>();

    static {
        define("tempo", h -> h.tempo(), 360, 1, 50_400, false, "blocks per epoch");
        define("kappa", h -> h.kappa(), 32_767, 0, 65_535, true, "consensus majority (u16 proportion)");
        define("bonds_penalty", h -> h.bondsPenalty(), 65_535, 0, 65_535, false, "how much bonds follow clipped weights (u16 proportion)");
        define("bonds_moving_average", h -> h.bondsMovingAverage(), 900_000, 0, 1_000_000, false,
                "bond EMA memory in millionths (the owner may set at most 975000)");
        define("yuma3", h -> h.yuma3() ? 1 : 0, 1, 0, 1, false, "Yuma3 bonds and dividends (1) or original Yuma (0)");
        define("liquid_alpha", h -> h.liquidAlpha() ? 1 : 0, 0, 0, 1, false, "per-bond EMA coefficients (Yuma3 only)");
        define("mean_consensus", h -> h.meanConsensus() ? 1 : 0, 0, 0, 1, false, "consensus is the stake-weighted mean weight (1), not the kappa median (0)");
        define("leave_one_out", h -> h.leaveOneOut() ? 1 : 0, 0, 0, 1, false,
                "validators score a miner by what the round's combined answer loses without it (1), not its answer alone (0)");
        define("alpha_low", h -> h.alphaLow(), 45_875, 1_638, 65_535, false, "liquid alpha lower bound (u16 proportion)");
        define("alpha_high", h -> h.alphaHigh(), 58_982, 1_638, 65_535, false, "liquid alpha upper bound (u16 proportion)");
        define("alpha_sigmoid_steepness", h -> h.alphaSigmoidSteepness(), 1_000, -32_768, 32_767, false, "liquid alpha sigmoid steepness");
        define("max_allowed_uids", h -> h.maxAllowedUids(), 256, 1, 32_768, true, "uid slots (past 4,096, mean consensus is the one measured: BENCHMARKS.md)");
        define("max_allowed_validators", h -> h.maxAllowedValidators(), 64, 1, 4_096, true, "validator permits");
        define("min_allowed_weights", h -> h.minAllowedWeights(), 1, 0, 4_096, false, "fewest weights a validator may set");
        define("immunity_period", h -> h.immunityPeriod(), 5_000, 0, 1_000_000, false, "blocks a new neuron cannot be pruned");
        define("activity_cutoff_factor_milli", h -> h.activityCutoffFactorMilli(), 13_889, 1_000, 50_000, false,
                "activity cutoff = factor x tempo / 1000 blocks");
        define("weights_rate_limit", h -> h.weightsRateLimit(), 100, 0, 1_000_000, false, "blocks between weight updates or commits");
        define("commit_reveal", h -> h.commitReveal() ? 1 : 0, 1, 0, 1, false, "weights must be committed, then revealed");
        define("reveal_period", h -> h.revealPeriod(), 1, 1, 100, false, "epochs between a commit and its reveal");
        define("stake_threshold", h -> h.stakeThreshold(), 0, 0, Long.MAX_VALUE, true, "alpha rao a uid needs to count as staked");
        define("min_burn", h -> h.minBurn(), 500_000, 0, Long.MAX_VALUE, false, "lowest registration burn, rao");
        define("max_burn", h -> h.maxBurn(), 100_000_000_000L, 0, Long.MAX_VALUE, false, "highest registration burn, rao");
        define("burn_half_life", h -> h.burnHalfLife(), 360, 1, 1_000_000, false, "blocks for the burn to halve");
        define("burn_increase_milli", h -> h.burnIncreaseMilli(), 1_260, 1_000, 10_000, false, "burn x this / 1000 after each registration");
        define("registration_allowed", h -> h.registrationAllowed() ? 1 : 0, 1, 0, 1, false, "new neurons may register");
        define("owner_cut_enabled", h -> h.ownerCutEnabled() ? 1 : 0, 1, 0, 1, true, "the owner takes 18 % of alpha emission");
        define("weights_version_key", h -> h.weightsVersionKey(), 0, 0, Long.MAX_VALUE, false, "lowest version key weights must carry");
        define("swap_fee", h -> h.swapFee(), 33, 0, 10_000, true, "pool fee, u16 proportion of the input");
    }

    private static void define(String name, ToLongFunction<SubnetHyperparameters> read, long defaultValue, long min, long max,
                               boolean rootOnly, String meaning) {
        PARAMETERS.put(name, new Parameter(name, defaultValue, min, max, rootOnly, meaning));
        READ.put(name, read);
    }

    /** Each value within its range; {@link #with} also holds related values to each other. */
    public SubnetHyperparameters {
        long[] inOrder = {tempo,
                kappa,
                bondsPenalty,
                bondsMovingAverage,
                yuma3 ? 1 : 0,
                liquidAlpha ? 1 : 0,
                meanConsensus ? 1 : 0,
                leaveOneOut ? 1 : 0,
                alphaLow,
                alphaHigh,
                alphaSigmoidSteepness,
                maxAllowedUids,
                maxAllowedValidators,
                minAllowedWeights,
                immunityPeriod,
                activityCutoffFactorMilli,
                weightsRateLimit,
                commitReveal ? 1 : 0,
                revealPeriod,
                stakeThreshold,
                minBurn,
                maxBurn,
                burnHalfLife,
                burnIncreaseMilli,
                registrationAllowed ? 1 : 0,
                ownerCutEnabled ? 1 : 0,
                weightsVersionKey,
                swapFee};
        int i = 0;
        for (Parameter p : PARAMETERS.values()) { // defined in the components' order
            long v = inOrder[i++];
            if (v < p.min() || v > p.max()) {
                throw new IllegalArgumentException(p.name() + " = " + v + " out of range (" + p.min() + " .. " + p.max() + ")");
            }
        }
    }

    /**
     * The one place names meet components: a value for every parameter, by name.
     */
    private static SubnetHyperparameters of(Map<String, Long> v) {
        return new SubnetHyperparameters((int) (long) v.get("tempo"),
                (int) (long) v.get("kappa"),
                (int) (long) v.get("bonds_penalty"),
                v.get("bonds_moving_average"),
                v.get("yuma3") == 1,
                v.get("liquid_alpha") == 1,
                v.get("mean_consensus") == 1,
                v.get("leave_one_out") == 1,
                (int) (long) v.get("alpha_low"),
                (int) (long) v.get("alpha_high"),
                (int) (long) v.get("alpha_sigmoid_steepness"),
                (int) (long) v.get("max_allowed_uids"),
                (int) (long) v.get("max_allowed_validators"),
                (int) (long) v.get("min_allowed_weights"),
                v.get("immunity_period"),
                v.get("activity_cutoff_factor_milli"),
                v.get("weights_rate_limit"),
                v.get("commit_reveal") == 1,
                (int) (long) v.get("reveal_period"),
                v.get("stake_threshold"),
                v.get("min_burn"),
                v.get("max_burn"),
                v.get("burn_half_life"),
                v.get("burn_increase_milli"),
                v.get("registration_allowed") == 1,
                v.get("owner_cut_enabled") == 1,
                v.get("weights_version_key"),
                (int) (long) v.get("swap_fee"));
    }

    /** Values read back from a snapshot: every known parameter, each in its range. */
    static SubnetHyperparameters restore(Map<String, Long> values) {
        SubnetHyperparameters h = defaults();
        for (var e : values.entrySet()) {
            h = h.with(e.getKey(), e.getValue());
        }
        return h;
    }

    /** The defaults of a new subnet. */
    public static SubnetHyperparameters defaults() {
        TreeMap<String, Long> v = new TreeMap<>();
        PARAMETERS.values().forEach(p -> v.put(p.name(), p.defaultValue()));
        return of(v);
    }

    /** Every parameter, in a fixed order. */
    public static List<Parameter> parameters() {
        return List.copyOf(PARAMETERS.values());
    }

    public static Parameter parameter(String name) {
        return PARAMETERS.get(name);
    }

    /**
     * The canonical encoding inside the state hash and the snapshot: the count, then each name and value in name
     * order (booleans as 0 and 1), as {@link #values} lists them; written each block, so read straight from the
     * components.
     */
    void write(Canonical c) {
        c.i32(READ.size());
        READ.forEach((name, read) -> c.string(name).i64(read.applyAsLong(this)));
    }

    /** All values by name, sorted (booleans as 0 and 1). */
    public Map<String, Long> values() {
        TreeMap<String, Long> v = new TreeMap<>();
        READ.forEach((name, read) -> v.put(name, read.applyAsLong(this)));
        return Collections.unmodifiableMap(v);
    }

    /**
     * A copy with one value changed; the caller checked who may set it ({@link #problem}).
     *
     * @throws IllegalArgumentException for an unknown name or a value out of range
     */
    /** A copy with each of these values (in the map's order). */
    public SubnetHyperparameters with(Map<String, Long> changes) {
        SubnetHyperparameters h = this;
        for (var e : changes.entrySet()) {
            h = h.with(e.getKey(), e.getValue());
        }
        return h;
    }

    public SubnetHyperparameters with(String name, long value) {
        String problem = problem(name, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        TreeMap<String, Long> v = new TreeMap<>(values());
        v.put(name, value);
        return of(v);
    }

    /** What is wrong with setting {@code name} to {@code value}, or null. */
    public String problem(String name, long value) {
        Parameter p = PARAMETERS.get(name);
        if (p == null) {
            return "unknown hyper-parameter " + name;
        }
        if (value < p.min() || value > p.max()) {
            return name + " = " + value + " out of range (" + p.min() + " .. " + p.max() + ")";
        }
        if (name.equals("alpha_low") && value > alphaHigh || name.equals("alpha_high") && value < alphaLow) {
            return "alpha_low must not exceed alpha_high";
        }
        if (name.equals("min_burn") && value > maxBurn || name.equals("max_burn") && value < minBurn) {
            return "min_burn must not exceed max_burn";
        }
        if (name.equals("max_allowed_validators") && value > maxAllowedUids) {
            return "max_allowed_validators must not exceed max_allowed_uids";
        }
        return null;
    }

    /** The consensus variants by name, as {@code simulate} and {@code replay} take them. */
    public static final List<String> CONSENSUS_VARIANTS = List.of("yuma", "yuma3", "liquid-alpha", "mean");

    /**
     * The hyper-parameters that make a consensus variant: {@code yuma} (original bonds), {@code yuma3},
     * {@code liquid-alpha} (Yuma3 with liquid alpha) or {@code mean} (Yuma3 with mean consensus).
     *
     * @throws IllegalArgumentException for another name, listing the variants
     */
    public static Map<String, Long> consensusVariant(String name) {
        if (!CONSENSUS_VARIANTS.contains(name)) {
            throw new IllegalArgumentException("consensus: '" + name + "' is not one of " + String.join(", ", CONSENSUS_VARIANTS));
        }
        Map<String, Long> v = new TreeMap<>();
        v.put("yuma3", name.equals("yuma") ? 0L : 1L);
        v.put("liquid_alpha", name.equals("liquid-alpha") ? 1L : 0L);
        v.put("mean_consensus", name.equals("mean") ? 1L : 0L);
        return v;
    }

    /** The parameters one epoch reads. */
    public Hyperparameters forEpoch() {
        return new Hyperparameters(kappa, bondsPenalty, bondsMovingAverage, yuma3, liquidAlpha, alphaLow, alphaHigh,
                alphaSigmoidSteepness, maxAllowedValidators, activityCutoffFactorMilli, stakeThreshold, meanConsensus);
    }

    @Override
    public String toString() {
        return values().toString();
    }
}
