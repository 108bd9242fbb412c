package io.cortex.ledger.state;

import io.cortex.ledger.yuma.Hyperparameters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subnet's hyper-parameters (yuma.md section 2): named integer values, each with its range and whether
 * the subnet owner may set it or only the root key. Immutable; {@link #with} returns a changed copy.
 * Defaults are what {@code init_new_network} writes, except where a testnet needs shorter clocks (the
 * ledger config overrides them).
 */
public final class SubnetHyperparameters {

    /** One parameter: its name, default, range, who sets it, and what it means. */
    public record Parameter(String name, long defaultValue, long min, long max, boolean rootOnly, String meaning) {
    }

    private static final Map<String, Parameter> PARAMETERS = new LinkedHashMap<>();

    static {
        define("tempo", 360, 1, 50_400, false, "blocks per epoch");
        define("kappa", 32_767, 0, 65_535, true, "consensus majority (u16 proportion)");
        define("bonds_penalty", 65_535, 0, 65_535, false, "how much bonds follow clipped weights (u16 proportion)");
        define("bonds_moving_average", 900_000, 0, 1_000_000, false,
                "bond EMA memory in millionths (the owner may set at most 975000)");
        define("yuma3", 1, 0, 1, false, "Yuma3 bonds and dividends (1) or original Yuma (0)");
        define("liquid_alpha", 0, 0, 1, false, "per-bond EMA coefficients (Yuma3 only)");
        define("mean_consensus", 0, 0, 1, false, "consensus is the stake-weighted mean weight (1), not the kappa median (0)");
        define("leave_one_out", 0, 0, 1, false,
                "validators score a miner by what the round's combined answer loses without it (1), not its answer alone (0)");
        define("alpha_low", 45_875, 1_638, 65_535, false, "liquid alpha lower bound (u16 proportion)");
        define("alpha_high", 58_982, 1_638, 65_535, false, "liquid alpha upper bound (u16 proportion)");
        define("alpha_sigmoid_steepness", 1_000, -32_768, 32_767, false, "liquid alpha sigmoid steepness");
        define("max_allowed_uids", 256, 1, 32_768, true, "uid slots (past 4,096, mean consensus is the one measured: BENCHMARKS.md)");
        define("max_allowed_validators", 64, 1, 4_096, true, "validator permits");
        define("min_allowed_weights", 1, 0, 4_096, false, "fewest weights a validator may set");
        define("immunity_period", 5_000, 0, 1_000_000, false, "blocks a new neuron cannot be pruned");
        define("activity_cutoff_factor_milli", 13_889, 1_000, 50_000, false,
                "activity cutoff = factor x tempo / 1000 blocks");
        define("weights_rate_limit", 100, 0, 1_000_000, false, "blocks between weight updates or commits");
        define("commit_reveal", 1, 0, 1, false, "weights must be committed, then revealed");
        define("reveal_period", 1, 1, 100, false, "epochs between a commit and its reveal");
        define("stake_threshold", 0, 0, Long.MAX_VALUE, true, "alpha rao a uid needs to count as staked");
        define("min_burn", 500_000, 0, Long.MAX_VALUE, false, "lowest registration burn, rao");
        define("max_burn", 100_000_000_000L, 0, Long.MAX_VALUE, false, "highest registration burn, rao");
        define("burn_half_life", 360, 1, 1_000_000, false, "blocks for the burn to halve");
        define("burn_increase_milli", 1_260, 1_000, 10_000, false, "burn x this / 1000 after each registration");
        define("registration_allowed", 1, 0, 1, false, "new neurons may register");
        define("owner_cut_enabled", 1, 0, 1, true, "the owner takes 18 % of alpha emission");
        define("weights_version_key", 0, 0, Long.MAX_VALUE, false, "lowest version key weights must carry");
        define("swap_fee", 33, 0, 10_000, true, "pool fee, u16 proportion of the input");
    }

    private static void define(String name, long defaultValue, long min, long max, boolean rootOnly, String meaning) {
        PARAMETERS.put(name, new Parameter(name, defaultValue, min, max, rootOnly, meaning));
    }

    private final TreeMap<String, Long> values;

    /** Values read back from a snapshot: every known parameter, each in its range. */
    static SubnetHyperparameters restore(TreeMap<String, Long> values) {
        SubnetHyperparameters h = defaults();
        for (var e : values.entrySet()) {
            h = h.with(e.getKey(), e.getValue());
        }
        return h;
    }

    private SubnetHyperparameters(TreeMap<String, Long> values) {
        this.values = values;
    }

    /** The defaults of a new subnet. */
    public static SubnetHyperparameters defaults() {
        TreeMap<String, Long> v = new TreeMap<>();
        PARAMETERS.values().forEach(p -> v.put(p.name(), p.defaultValue()));
        return new SubnetHyperparameters(v);
    }

    /** Every parameter, in a fixed order. */
    public static List<Parameter> parameters() {
        return List.copyOf(PARAMETERS.values());
    }

    public static Parameter parameter(String name) {
        return PARAMETERS.get(name);
    }

    /** All values by name, sorted. */
    public Map<String, Long> values() {
        return Collections.unmodifiableMap(values);
    }

    public long get(String name) {
        Long v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown hyper-parameter " + name);
        }
        return v;
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
        TreeMap<String, Long> v = new TreeMap<>(values);
        v.put(name, value);
        return new SubnetHyperparameters(v);
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
        if (name.equals("alpha_low") && value > get("alpha_high")
                || name.equals("alpha_high") && value < get("alpha_low")) {
            return "alpha_low must not exceed alpha_high";
        }
        if (name.equals("min_burn") && value > get("max_burn") || name.equals("max_burn") && value < get("min_burn")) {
            return "min_burn must not exceed max_burn";
        }
        if (name.equals("max_allowed_validators") && value > get("max_allowed_uids")) {
            return "max_allowed_validators must not exceed max_allowed_uids";
        }
        return null;
    }

    public int tempo() {
        return (int) get("tempo");
    }

    public int maxAllowedUids() {
        return (int) get("max_allowed_uids");
    }

    public boolean commitReveal() {
        return get("commit_reveal") == 1;
    }

    public boolean flag(String name) {
        return get(name) == 1;
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
        return new Hyperparameters((int) get("kappa"), (int) get("bonds_penalty"), get("bonds_moving_average"),
                flag("yuma3"), flag("liquid_alpha"), (int) get("alpha_low"), (int) get("alpha_high"),
                (int) get("alpha_sigmoid_steepness"), (int) get("max_allowed_validators"),
                get("activity_cutoff_factor_milli"), get("stake_threshold"), flag("mean_consensus"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubnetHyperparameters h && values.equals(h.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
