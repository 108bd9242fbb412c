package io.cortex.deploy.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.ledger.emission.EmissionPolicy;
import io.cortex.ledger.state.SubnetHyperparameters;
import io.cortex.subnets.SubnetMechanisms;
import io.cortex.subnets.Weighting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * What {@code cortex simulate} runs: the subnets, their honest and adversarial neurons, the consensus
 * variant, commit-reveal, the cross-subnet emission policy (one, or several to compare), how miners'
 * quality drifts and how honest validators turn scores into weights. Read from JSON
 * ({@code examples/scenarios/}); {@code SIMULATE.md} documents every field. Every problem is reported with
 * the field's path, such as {@code subnets[1].miners[0].count}.
 *
 * @param name a label for reports
 * @param seed every key, task and choice derives from it
 * @param epochs epochs each subnet runs after the neurons are set up
 * @param warmupEpochs epochs left out of the totals (bonds and scores start empty)
 * @param tempo blocks per epoch
 * @param roundsPerEpoch validator query rounds per epoch
 * @param consensus {@code yuma}, {@code yuma3}, {@code liquid-alpha} (Yuma3 with liquid alpha) or {@code mean}
 *                  (Yuma3 with mean consensus: the stake-weighted mean weight instead of the kappa median)
 * @param commitReveal weights committed, then revealed an epoch later
 * @param emissionPolicies the cross-subnet emission policies; more than one runs the scenario once per policy
 * @param drift per epoch, the chance that a miner of a quality range draws a new quality in it
 * @param weighting how honest validators turn scores into weights, as the live validator does ({@link Weighting})
 * @param sharedTasks whether a subnet's validators draw each round's task from the epoch's shared seed, as live
 *                    validators do ({@code shared_tasks}, default true), or each from its own random stream
 * @param hyperparameters subnet hyper-parameter overrides for every subnet
 * @param pools what each subnet's pool holds when it is created ({@link Pools#DEVNET}: a dev network's 100 TAO
 *              at 1 TAO per alpha)
 * @param subnets the subnets, netuids 1, 2, ... in order (a spec with {@code repeat} counts several times)
 */
// long on purpose: the scenario format, parsed and checked in one place
public record Scenario(String name, long seed, int epochs, int warmupEpochs, int tempo, int roundsPerEpoch,
                       String consensus, boolean commitReveal, List<String> emissionPolicies, double drift,
                       Weighting weighting, boolean sharedTasks, Map<String, Long> hyperparameters,
                       Pools pools, List<SubnetSpec> subnets) {

    /**
     * A new subnet's pool: {@code tao} TAO (the subnet lock, which its owner pays) at {@code price} TAO per alpha;
     * and the blocks over which the pools' net TAO flow and the subnets' demand averages halve (the ledger's
     * {@code flowHalfLife}: 30 days of 12 s blocks, far longer than most simulations).
     * Mainnet's pools hold thousands of TAO at a few hundredths of a TAO per alpha; a pool as small as the stake
     * it takes ends far above 1 TAO per alpha, where {@code price-ema} caps every subnet alike.
     */
    public record Pools(double tao, double price, long flowHalfLife) {
        public static final Pools DEVNET = new Pools(100, 1.0, 216_000);
    }

    /** Miner classes: what a miner does with a task. */
    public enum MinerClass {
        /** runs the subnet's model at its quality */
        HONEST,
        /** runs the subnet's baseline model */
        BASELINE,
        /** an honest model, but every miner of the group is one owner's (one coldkey) */
        SYBIL,
        /** relays each task to the best-paid miner and returns its answer, late */
        LAZY,
        /** answers its first task and replays that answer ever after */
        REPLAY,
        /** a miner of the cabal: cabal validators weight only these */
        CABAL
    }

    /** Validator classes: how a validator sets its weights. */
    public enum ValidatorClass {
        /** queries miners, scores them, sets weights from its scores */
        HONEST,
        /** queries nobody; copies the latest weights the ledger shows, stake-weighted over the other validators */
        COPIER,
        /** queries nobody; weights the cabal's miners equally */
        CABAL,
        /** registers and stakes, then never sets weights */
        OFFLINE
    }

    /** A group of miners: class, how many, quality (a value, or a range spread evenly), a label for reports. */
    public record MinerGroup(MinerClass kind, int count, double qualityLow, double qualityHigh, String label) {
        /** The quality of the group's i-th miner: the range's points spread evenly, low to high. */
        public double quality(int i) {
            return count == 1 ? qualityHigh : qualityLow + (qualityHigh - qualityLow) * i / (count - 1);
        }

        public boolean drifts() {
            return qualityHigh > qualityLow;
        }
    }

    /** A group of validators: class, how many, each one's stake in TAO, a label for reports. */
    public record ValidatorGroup(ValidatorClass kind, int count, long stakeTao, String label) {
    }

    /**
     * A subnet: its mechanism, how many identical subnets it stands for, its miners and validators, and what its
     * users pay it per block in TAO (a value, or a range spread evenly over the repeats).
     */
    public record SubnetSpec(String mechanism, int repeat, List<MinerGroup> miners, List<ValidatorGroup> validators,
                             double demandLow, double demandHigh) {
        public int neurons() {
            return 1 + miners.stream().mapToInt(MinerGroup::count).sum()
                    + validators.stream().mapToInt(ValidatorGroup::count).sum();
        }

        /** What users pay the i-th of the repeats per block, TAO. */
        public double demand(int i) {
            return repeat <= 1 ? demandLow : demandLow + (demandHigh - demandLow) * i / (repeat - 1);
        }
    }

    public Scenario {
        emissionPolicies = List.copyOf(emissionPolicies);
        hyperparameters = java.util.Collections.unmodifiableMap(new TreeMap<>(hyperparameters));
        subnets = List.copyOf(subnets);
    }

    /** The subnets as the ledger numbers them: each spec repeated, in order, each with its own demand. */
    public List<SubnetSpec> expandedSubnets() {
        List<SubnetSpec> out = new ArrayList<>();
        for (SubnetSpec s : subnets) {
            for (int i = 0; i < s.repeat(); i++) {
                double d = s.demand(i);
                out.add(new SubnetSpec(s.mechanism(), 1, s.miners(), s.validators(), d, d));
            }
        }
        return out;
    }

    /** A copy with another seed, epoch count or emission policy list (the command line's overrides). */
    public Scenario with(Long newSeed, Integer newEpochs, List<String> policies) {
        if (newEpochs != null && (newEpochs < 2 || newEpochs > MAX_EPOCHS)) {
            throw new IllegalArgumentException("--epochs: from 2 to " + MAX_EPOCHS);
        }
        if (policies != null) {
            checkPolicies(policies, "--policy");
        }
        int e = newEpochs == null ? epochs : newEpochs;
        return new Scenario(name, newSeed == null ? seed : newSeed, e, Math.min(warmupEpochs, e - 1), tempo,
                roundsPerEpoch, consensus, commitReveal, policies == null ? emissionPolicies : policies, drift,
                weighting, sharedTasks, hyperparameters, pools, subnets);
    }

    static final int MAX_EPOCHS = 100_000;


    private static void checkPolicies(List<String> policies, String path) {
        if (policies.isEmpty()) {
            throw new IllegalArgumentException(path + ": a policy name or a non-empty list of names");
        }
        for (String p : policies) {
            try {
                EmissionPolicy.named(p, SubnetMechanisms.loader());
            } catch (IllegalArgumentException e) {
                boolean unknown = e.getMessage().startsWith("unknown emission policy");
                throw new IllegalArgumentException(path + ": " + e.getMessage() + (!unknown ? ""
                        : "; a policy of your own comes in a jar on CORTEX_CLASSPATH that lists it in META-INF/services/"
                        + EmissionPolicy.class.getName() + " (SIMULATE.md)"));
            }
        }
        if (policies.stream().distinct().count() != policies.size()) {
            throw new IllegalArgumentException(path + ": a policy is listed twice");
        }
    }

    /** A copy with commit-reveal on or off. */
    public Scenario withCommitReveal(boolean on) {
        return new Scenario(name, seed, epochs, warmupEpochs, tempo, roundsPerEpoch, consensus, on,
                emissionPolicies, drift, weighting, sharedTasks, hyperparameters, pools, subnets);
    }

    /** A copy under another consensus variant ({@code yuma}, {@code yuma3}, {@code liquid-alpha}, {@code mean}). */
    public Scenario withConsensus(String variant) {
        SubnetHyperparameters.consensusVariant(variant); // a known name, or the error that lists them
        return new Scenario(name, seed, epochs, warmupEpochs, tempo, roundsPerEpoch, variant, commitReveal,
                emissionPolicies, drift, weighting, sharedTasks, hyperparameters, pools, subnets);
    }

    /** A copy whose validators draw their rounds' tasks from the epoch's shared seed, or each its own. */
    public Scenario withSharedTasks(boolean shared) {
        return new Scenario(name, seed, epochs, warmupEpochs, tempo, roundsPerEpoch, consensus, commitReveal,
                emissionPolicies, drift, weighting, shared, hyperparameters, pools, subnets);
    }

    /** The scorers a scenario names: {@code answer} (each answer on its own) or {@code leave-one-out}. */
    static final List<String> SCORERS = List.of("answer", "leave-one-out");

    private static long scorerFlag(String scorer, String path) {
        if (!SCORERS.contains(scorer)) {
            throw new IllegalArgumentException(path + ": '" + scorer + "' is not one of " + String.join(", ", SCORERS));
        }
        return scorer.equals("leave-one-out") ? 1 : 0;
    }

    /** How the validators score: {@code answer} or {@code leave-one-out} (the {@code leave_one_out} hyper-parameter). */
    public String scorer() {
        return hyperparameters.getOrDefault("leave_one_out", 0L) == 1 ? "leave-one-out" : "answer";
    }

    /** A copy whose validators score as named: {@code answer} or {@code leave-one-out}. */
    public Scenario withScorer(String scorer) {
        Map<String, Long> hyper = new TreeMap<>(hyperparameters);
        hyper.put("leave_one_out", scorerFlag(scorer, "--scorer"));
        return new Scenario(name, seed, epochs, warmupEpochs, tempo, roundsPerEpoch, consensus, commitReveal,
                emissionPolicies, drift, weighting, sharedTasks, hyper, pools, subnets);
    }

    /** A copy whose honest validators weight miners as given. */
    public Scenario withWeighting(Weighting w) {
        return new Scenario(name, seed, epochs, warmupEpochs, tempo, roundsPerEpoch, consensus, commitReveal,
                emissionPolicies, drift, w, sharedTasks, hyperparameters, pools, subnets);
    }

    // ---------------------------------------------------------------- reading

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Scenario read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no scenario file " + file);
        }
        return parse(Files.readString(file), file.getFileName().toString().replaceFirst("\\.json$", ""));
    }

    /**
     * A scenario from its JSON text.
     *
     * @param defaultName the name when the JSON gives none
     * @throws IllegalArgumentException naming the field, for anything missing, unknown or out of range
     */
    public static Scenario parse(String json, String defaultName) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("scenario is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a scenario is a JSON object");
        }
        known(root, "", Set.of("name", "description", "seed", "epochs", "warmup_epochs", "tempo", "rounds_per_epoch",
                "consensus", "commit_reveal", "emission_policy", "drift", "weighting", "shared_tasks", "scorer",
                "hyperparameters", "pools", "subnets"));
        String name = root.path("name").asText(defaultName);
        long seed = integer(root, "seed", "", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        int epochs = (int) integer(root, "epochs", "", 20, 2, MAX_EPOCHS);
        int warmup = (int) integer(root, "warmup_epochs", "", Math.min(3, epochs - 1), 1, epochs - 1);
        int tempo = (int) integer(root, "tempo", "", 10, 4, 50_400);
        int rounds = (int) integer(root, "rounds_per_epoch", "", 3, 1, tempo - 2);
        String consensus = root.path("consensus").asText("yuma3");
        SubnetHyperparameters.consensusVariant(consensus); // a known name, or the error that lists them
        boolean commitReveal = bool(root, "commit_reveal", "", true);
        boolean sharedTasks = bool(root, "shared_tasks", "", true);
        List<String> policies = policies(root.path("emission_policy"));
        double drift = number(root, "drift", "", 0, 0, 1);
        Weighting weighting = weighting(root.path("weighting"));
        Map<String, Long> hyper = hyperparameters(root.path("hyperparameters"));
        Pools pools = pools(root.path("pools"));
        String scorer = root.path("scorer").asText("answer");
        hyper.put("leave_one_out", scorerFlag(scorer, "scorer"));
        List<SubnetSpec> subnets = subnets(root);
        checkGenesis(subnets, pools, epochs, tempo);
        Scenario scenario = new Scenario(name, seed, epochs, warmup, tempo, rounds, consensus, commitReveal, policies,
                drift, weighting, sharedTasks, hyper, pools, subnets);
        scenario.subnetHyperparameters(); // the overrides together, checked once
        return scenario;
    }

    /** {@code emission_policy}: a name or a list of names (the first the run's, the rest counterfactuals). */
    private static List<String> policies(JsonNode policy) {
        List<String> policies = new ArrayList<>();
        if (policy.isMissingNode()) {
            policies.add("price-ema");
        } else if (policy.isTextual()) {
            policies.add(policy.asText());
        } else if (policy.isArray()) {
            policy.forEach(p -> policies.add(p.asText()));
        } else {
            throw new IllegalArgumentException("emission_policy: a policy name or a non-empty list of names");
        }
        checkPolicies(policies, "emission_policy");
        return policies;
    }

    private static Weighting weighting(JsonNode w) {
        if (w.isMissingNode()) {
            return Weighting.DEFAULT;
        }
        known(w, "weighting.", Set.of("over_baseline", "sharpness"));
        return new Weighting(bool(w, "over_baseline", "weighting.", true),
                number(w, "sharpness", "weighting.", Weighting.DEFAULT.sharpness(), 0.1, Weighting.MAX_SHARPNESS));
    }

    /** {@code hyperparameters}: known names the scenario and the simulator leave to it, integer values. */
    private static Map<String, Long> hyperparameters(JsonNode h) {
        Map<String, Long> hyper = new TreeMap<>();
        if (!h.isMissingNode()) {
            if (!h.isObject()) {
                throw new IllegalArgumentException("hyperparameters: an object of name: integer value");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = h.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!f.getValue().canConvertToLong() || !f.getValue().isIntegralNumber()) {
                    throw new IllegalArgumentException("hyperparameters." + f.getKey() + ": an integer");
                }
                if (SubnetHyperparameters.parameter(f.getKey()) == null) {
                    throw new IllegalArgumentException("hyperparameters." + f.getKey() + ": unknown hyper-parameter");
                }
                if (Set.of("tempo", "commit_reveal", "yuma3", "liquid_alpha", "mean_consensus", "leave_one_out")
                        .contains(f.getKey())) {
                    throw new IllegalArgumentException("hyperparameters." + f.getKey()
                            + ": set by the scenario's own field (tempo, commit_reveal, consensus, scorer)");
                }
                if (SIMULATOR_SETS.contains(f.getKey())) {
                    throw new IllegalArgumentException("hyperparameters." + f.getKey()
                            + ": the simulator sets it (every neuron registers once, and sets weights once an epoch)");
                }
                hyper.put(f.getKey(), f.getValue().asLong());
            }
        }
        return hyper;
    }

    private static Pools pools(JsonNode poolNode) {
        if (poolNode.isMissingNode()) {
            return Pools.DEVNET;
        }
        known(poolNode, "pools.", Set.of("tao", "price", "flow_half_life"));
        return new Pools(number(poolNode, "tao", "pools.", Pools.DEVNET.tao(), 1, 1_000_000),
                number(poolNode, "price", "pools.", Pools.DEVNET.price(), 1e-6, 1_000),
                integer(poolNode, "flow_half_life", "pools.", Pools.DEVNET.flowHalfLife(), 1, 100_000_000));
    }

    private static List<SubnetSpec> subnets(JsonNode root) {
        List<SubnetSpec> subnets = list(root, "subnets", "", "subnets", Scenario::subnet);
        int total = subnets.stream().mapToInt(SubnetSpec::repeat).sum();
        if (total > 1024) {
            throw new IllegalArgumentException("subnets: " + total + " subnets; at most 1024");
        }
        return subnets;
    }

    /** What the genesis must hold for the subnets' pools, registrations, stakes and payments, under half the supply. */
    private static void checkGenesis(List<SubnetSpec> subnets, Pools pools, int epochs, int tempo) {
        double genesisTao = 0;
        for (SubnetSpec spec : subnets) {
            double perSubnet = Math.max(1_000, pools.tao() + 100) + 200.0 * (spec.neurons() - 1);
            perSubnet += (spec.demandLow() + spec.demandHigh()) / 2 * (epochs + 2L) * tempo;
            for (ValidatorGroup g : spec.validators()) {
                perSubnet += (double) g.stakeTao() * g.count();
            }
            genesisTao += perSubnet * spec.repeat();
        }
        if (genesisTao > 10_500_000) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "subnets: the validators' stakes and the "
                    + "neurons' registrations need %.0f TAO at genesis, past half the supply (10,500,000), where block "
                    + "emission halves; lower the stakes", genesisTao));
        }
    }

    /** Hyper-parameters the simulator keeps for itself: registration and the weights cycle depend on them. */
    static final Set<String> SIMULATOR_SETS = Set.of("weights_rate_limit", "weights_version_key", "registration_allowed",
            "immunity_period", "max_allowed_uids", "max_allowed_validators", "min_burn", "max_burn", "burn_half_life",
            "burn_increase_milli");

    /**
     * A scenario's activity cutoff unless it sets one: 3 epochs (mainnet's is about 14). All of a scenario's
     * subnets start at once, and until the cutoff the stake of neurons that never set weights (miners paid in
     * stake, the owner's cut) counts toward consensus and can hold honest validators under kappa.
     */
    static final long DEFAULT_ACTIVITY_CUTOFF_MILLI = 3_000;

    /**
     * Every subnet's hyper-parameters: the dev network's, with the scenario's tempo, commit-reveal and
     * consensus, no weights rate limit, no pruning, a 3-epoch activity cutoff, then the scenario's overrides.
     *
     * @throws IllegalArgumentException naming the override that does not fit
     */
    public SubnetHyperparameters subnetHyperparameters() {
        SubnetHyperparameters h = io.cortex.ledger.state.LedgerConfig.devnet().subnetDefaults()
                .with("tempo", tempo)
                .with("commit_reveal", commitReveal ? 1 : 0)
                .with(SubnetHyperparameters.consensusVariant(consensus))
                .with("weights_rate_limit", 0)
                .with("immunity_period", 1_000_000)
                .with("activity_cutoff_factor_milli", DEFAULT_ACTIVITY_CUTOFF_MILLI);
        // Two passes, so that a pair checked together (alpha_low and alpha_high) may both move past the other.
        List<String> left = new ArrayList<>(hyperparameters.keySet());
        for (int pass = 0; pass < 2 && !left.isEmpty(); pass++) {
            List<String> again = new ArrayList<>();
            for (String name : left) {
                String problem = h.problem(name, hyperparameters.get(name));
                if (problem == null) {
                    h = h.with(name, hyperparameters.get(name));
                } else if (pass == 0) {
                    again.add(name);
                } else {
                    throw new IllegalArgumentException("hyperparameters." + name + ": " + problem);
                }
            }
            left = again;
        }
        return h;
    }

    // long on purpose: one block per field of a scenario's subnet, each checked where it is read
    private static SubnetSpec subnet(JsonNode node, String path) {
        known(node, path, Set.of("mechanism", "repeat", "miners", "validators", "demand"));
        String mechanism = node.path("mechanism").asText("");
        if (mechanism.isEmpty()) {
            throw new IllegalArgumentException(path + "mechanism: missing (" + String.join(", ", SubnetMechanisms.all().keySet())
                    + ")");
        }
        if (!SubnetMechanisms.all().keySet().contains(mechanism)) {
            throw new IllegalArgumentException(path + "mechanism: no subnet mechanism '" + mechanism + "' (known: "
                    + String.join(", ", SubnetMechanisms.all().keySet()) + ")");
        }
        int repeat = (int) integer(node, "repeat", path, 1, 1, 1024);
        List<MinerGroup> miners = list(node, "miners", path, "miner groups", Scenario::minerGroup);
        List<ValidatorGroup> validators = list(node, "validators", path, "validator groups", Scenario::validatorGroup);
        double[] demand = range(node, "demand", path, "TAO per block, ", 0);
        if (!(demand[0] >= 0 && demand[0] <= demand[1] && demand[1] <= 1_000)) {
            throw new IllegalArgumentException(path + "demand: TAO per block from 0 to 1000, low first");
        }
        SubnetSpec spec = new SubnetSpec(mechanism, repeat, miners, validators, demand[0], demand[1]);
        long maxUids = SubnetHyperparameters.defaults().maxAllowedUids();
        if (spec.neurons() > maxUids) {
            throw new IllegalArgumentException(path + "miners, validators: " + spec.neurons()
                    + " neurons with the owner; a subnet has " + maxUids + " uids");
        }
        int validatorCount = validators.stream().mapToInt(ValidatorGroup::count).sum();
        if (validatorCount > 64) {
            throw new IllegalArgumentException(path + "validators: " + validatorCount + " validators; at most 64 get a permit");
        }
        boolean cabalMiners = miners.stream().anyMatch(g -> g.kind() == MinerClass.CABAL);
        boolean cabalValidators = validators.stream().anyMatch(g -> g.kind() == ValidatorClass.CABAL);
        if (cabalValidators && !cabalMiners) {
            throw new IllegalArgumentException(path + "validators: cabal validators need cabal miners to weight");
        }
        return spec;
    }

    private static MinerGroup minerGroup(JsonNode node, String path) {
        known(node, path, Set.of("class", "count", "quality", "label"));
        MinerClass kind = enumValue(MinerClass.class, node.path("class").asText("honest"), path + "class");
        int count = (int) integer(node, "count", path, 1, 1, 4096);
        double[] quality = range(node, "quality", path, "", 1.0);
        if (!(quality[0] >= 0 && quality[1] <= 1 && quality[0] <= quality[1])) {
            throw new IllegalArgumentException(path + "quality: within [0, 1], low first");
        }
        String label = node.path("label").asText(kind.name().toLowerCase(Locale.ROOT));
        return new MinerGroup(kind, count, quality[0], quality[1], label);
    }

    private static ValidatorGroup validatorGroup(JsonNode node, String path) {
        known(node, path, Set.of("class", "count", "stake", "label"));
        ValidatorClass kind = enumValue(ValidatorClass.class, node.path("class").asText("honest"), path + "class");
        int count = (int) integer(node, "count", path, 1, 1, 64);
        long stake = integer(node, "stake", path, 1000, 1, 1_000_000);
        String label = node.path("label").asText(kind.name().toLowerCase(Locale.ROOT));
        return new ValidatorGroup(kind, count, stake, label);
    }

    private static void known(JsonNode node, String path, Set<String> fields) {
        if (!node.isObject()) {
            throw new IllegalArgumentException((path.isEmpty() ? "scenario" : path.substring(0, path.length() - 1))
                    + ": a JSON object");
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!fields.contains(f)) {
                throw new IllegalArgumentException(path + f + ": unknown field (known: "
                        + String.join(", ", new java.util.TreeSet<>(fields)) + ")");
            }
        });
    }

    /** The non-empty list at {@code field}, each element read by {@code element} with its own path ("miners[0]."). */
    private static <T> List<T> list(JsonNode node, String field, String path, String what,
                                    BiFunction<JsonNode, String, T> element) {
        JsonNode v = node.path(field);
        if (!v.isArray() || v.isEmpty()) {
            throw new IllegalArgumentException(path + field + ": a non-empty list of " + what);
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(element.apply(v.get(i), path + field + "[" + i + "]."));
        }
        return out;
    }

    private static long integer(JsonNode node, String field, String path, long dflt, long min, long max) {
        JsonNode v = node.path(field);
        if (v.isMissingNode()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new IllegalArgumentException(path + field + ": an integer from " + min + " to " + max);
        }
        return v.asLong();
    }

    private static double number(JsonNode node, String field, String path, double dflt, double min, double max) {
        JsonNode v = node.path(field);
        if (v.isMissingNode()) {
            return dflt;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw new IllegalArgumentException(path + field + ": a number from " + min + " to " + max);
        }
        return v.asDouble();
    }

    /**
     * A number or a range [low, high], as {low, high} (a number is both ends; {@code dflt} when missing). An error
     * says what the number is with {@code what} ("TAO per block, "), which may be empty.
     */
    private static double[] range(JsonNode node, String field, String path, String what, double dflt) {
        JsonNode v = node.path(field);
        if (v.isMissingNode()) {
            return new double[] {dflt, dflt};
        }
        if (v.isNumber()) {
            return new double[] {v.asDouble(), v.asDouble()};
        }
        if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber()) {
            throw new IllegalArgumentException(path + field + ": " + what + "a number or a range [low, high]");
        }
        return new double[] {v.get(0).asDouble(), v.get(1).asDouble()};
    }

    private static boolean bool(JsonNode node, String field, String path, boolean dflt) {
        JsonNode v = node.path(field);
        if (v.isMissingNode()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(path + field + ": true or false");
        }
        return v.asBoolean();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String path) {
        Map<String, E> byName = new LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            byName.put(e.name().toLowerCase(Locale.ROOT), e);
        }
        E e = byName.get(text);
        if (e == null) {
            throw new IllegalArgumentException(path + ": '" + text + "' is not one of " + String.join(", ", byName.keySet()));
        }
        return e;
    }
}
