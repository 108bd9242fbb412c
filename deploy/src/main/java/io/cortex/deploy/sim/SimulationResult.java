package io.cortex.deploy.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one run of a scenario measured: per epoch and subnet, what each class of neuron (by its label) was
 * paid, and the subnet's emission, its top miner's and the baseline's scores; then the final state hash.
 * The totals leave out the scenario's warm-up epochs.
 */
public final class SimulationResult {

    /** One class of neuron in one subnet's epoch: how many, incentive (sum of proportions), what they were paid. */
    public static final class ClassEpoch {
        public final int epoch;
        public final int netuid;
        public final String mechanism;
        public final String label;
        public final String role;
        public int neurons;
        public double incentive;
        public long minerAlpha;
        public long validatorAlpha;
        public double stake;

        ClassEpoch(int epoch, int netuid, String mechanism, String label, String role) {
            this.epoch = epoch;
            this.netuid = netuid;
            this.mechanism = mechanism;
            this.label = label;
            this.role = role;
        }

        /** Dividends per unit of stake this epoch, 0 without stake. */
        public double dividendsPerStake() {
            return stake > 0 ? validatorAlpha / stake : 0;
        }
    }

    /**
     * One subnet's epoch: alpha emitted, TAO the emission policy put into its pool, price, the top miner
     * (by incentive: its label and quality) and the mean scores validators gave it, the best miner, and the
     * baseline model on the same kind of tasks; and what the subnet's users paid it since the last epoch (rao).
     */
    public record SubnetEpoch(int epoch, int netuid, String mechanism, long emissionAlpha, long taoIn, double price,
                              String topMiner, double topMinerQuality, double topMinerScore, double bestScore,
                              double baselineScore, long paidTao) {
    }

    private final Scenario scenario;
    private final String policy;
    private final String stateHash;
    private final long blocks;
    private final long transactions;
    private final long rejected;
    private final Map<String, Long> rejections;
    private final double seconds;
    private final List<ClassEpoch> classEpochs;
    private final List<SubnetEpoch> subnetEpochs;
    private final Map<String, Long> minerBurn;

    private SimulationResult(Builder b, String stateHash, long blocks, long transactions, long rejected,
                             Map<String, Long> rejections, double seconds) {
        this.scenario = b.scenario;
        this.policy = b.policy;
        this.stateHash = stateHash;
        this.blocks = blocks;
        this.transactions = transactions;
        this.rejected = rejected;
        this.rejections = Map.copyOf(rejections);
        this.seconds = seconds;
        this.classEpochs = List.copyOf(b.classEpochs);
        this.subnetEpochs = List.copyOf(b.subnetEpochs);
        this.minerBurn = Map.copyOf(b.minerBurn);
    }

    static final class Builder {
        private final Scenario scenario;
        private final String policy;
        private final List<ClassEpoch> classEpochs = new ArrayList<>();
        private final List<SubnetEpoch> subnetEpochs = new ArrayList<>();
        private final Map<String, Long> minerBurn = new java.util.TreeMap<>();

        Builder(Scenario scenario, String policy) {
            this.scenario = scenario;
            this.policy = policy;
        }

        void classEpoch(ClassEpoch c) {
            classEpochs.add(c);
        }

        void subnetEpoch(SubnetEpoch s) {
            subnetEpochs.add(s);
        }

        /** TAO rao that registering miners of a label burned. */
        void minerBurn(String label, long rao) {
            minerBurn.merge(label, rao, Long::sum);
        }

        SimulationResult build(String stateHash, long blocks, long transactions, long rejected,
                               Map<String, Long> rejections, double seconds) {
            return new SimulationResult(this, stateHash, blocks, transactions, rejected, rejections, seconds);
        }
    }

    public Scenario scenario() {
        return scenario;
    }

    public String policy() {
        return policy;
    }

    /** The ledger's state hash at the end: the same scenario and seed give the same hash. */
    public String stateHash() {
        return stateHash;
    }

    public long blocks() {
        return blocks;
    }

    public long transactions() {
        return transactions;
    }

    public long rejected() {
        return rejected;
    }

    /** Refused transactions by kind and reason. */
    public Map<String, Long> rejections() {
        return rejections;
    }

    public double seconds() {
        return seconds;
    }

    public List<ClassEpoch> classEpochs() {
        return classEpochs;
    }

    public List<SubnetEpoch> subnetEpochs() {
        return subnetEpochs;
    }

    private boolean counted(int epoch) {
        return epoch >= scenario.warmupEpochs();
    }

    /** The labels of one role ({@code miner}, {@code validator}), in order of first appearance. */
    public List<String> labels(String role) {
        LinkedHashMap<String, Boolean> seen = new LinkedHashMap<>();
        classEpochs.stream().filter(c -> c.role.equals(role)).forEach(c -> seen.put(c.label, true));
        return List.copyOf(seen.keySet());
    }

    /** Incentive paid to miners of a label, alpha rao, over the counted epochs of every subnet. */
    public long minerAlpha(String label) {
        return classEpochs.stream().filter(c -> counted(c.epoch) && c.role.equals("miner") && c.label.equals(label))
                .mapToLong(c -> c.minerAlpha).sum();
    }

    /** Number of miners of a label (in one epoch, over all subnets). */
    public int minerCount(String label) {
        return classEpochs.stream().filter(c -> c.epoch == 0 && c.role.equals("miner") && c.label.equals(label))
                .mapToInt(c -> c.neurons).sum();
    }

    /**
     * What one miner of a label was paid on average, alpha rao over the counted epochs, in the subnets running
     * {@code mechanism} (null: every subnet); 0 when there is no such miner.
     */
    public double minerAlphaPerMiner(String label, String mechanism) {
        long paid = 0;
        long miners = 0;
        for (ClassEpoch c : classEpochs) {
            if (c.role.equals("miner") && c.label.equals(label) && (mechanism == null || c.mechanism.equals(mechanism))) {
                paid += counted(c.epoch) ? c.minerAlpha : 0;
                miners += c.epoch == 0 ? c.neurons : 0;
            }
        }
        return miners == 0 ? 0 : (double) paid / miners;
    }

    /**
     * Subnet-epochs whose pool price was at or above 1 TAO per alpha, and all subnet-epochs: price-ema's
     * moving price averages the price capped at 1 (as subtensor's does), so where every subnet sits at the
     * cap, price-ema's shares are equal's.
     */
    public int[] priceCapBinding() {
        int capped = 0;
        for (SubnetEpoch s : subnetEpochs) {
            capped += s.price() >= 1.0 ? 1 : 0;
        }
        return new int[] {capped, subnetEpochs.size()};
    }

    /** TAO rao the miners of a label burned to register (every registration counts, warm-up or not). */
    public long minerBurn(String label) {
        return minerBurn.getOrDefault(label, 0L);
    }

    /**
     * What the miners of a label earned over the counted epochs in TAO rao: each epoch's alpha at that
     * subnet's price in that epoch (TAO per alpha).
     */
    public double minerEarnedTao(String label) {
        Map<Long, Double> price = new HashMap<>();
        for (SubnetEpoch s : subnetEpochs) {
            price.put(((long) s.netuid() << 32) | s.epoch(), s.price());
        }
        double tao = 0;
        for (ClassEpoch c : classEpochs) {
            if (counted(c.epoch) && c.role.equals("miner") && c.label.equals(label)) {
                tao += c.minerAlpha * price.getOrDefault(((long) c.netuid << 32) | c.epoch, 0.0);
            }
        }
        return tao;
    }

    /** What the miners of a label earned in TAO net of their registration burn, rao. */
    public double minerNetTao(String label) {
        return minerEarnedTao(label) - minerBurn(label);
    }

    /** A label's share of all miner incentive, over the counted epochs. */
    public double minerShare(String label) {
        long all = classEpochs.stream().filter(c -> counted(c.epoch)).mapToLong(c -> c.minerAlpha).sum();
        return all == 0 ? 0 : (double) minerAlpha(label) / all;
    }

    /** Dividends per unit of stake for validators of a label: paid over the counted epochs ÷ stake-epochs. */
    public double dividendsPerStake(String label) {
        long paid = 0;
        double stake = 0;
        for (ClassEpoch c : classEpochs) {
            if (counted(c.epoch) && c.role.equals("validator") && c.label.equals(label)) {
                paid += c.validatorAlpha;
                stake += c.stake;
            }
        }
        return stake > 0 ? paid / stake : 0;
    }

    /** Per subnet: mean top-miner score, mean best score and mean baseline score, over the counted epochs. */
    public Map<Integer, double[]> bestVersusBaseline() {
        Map<Integer, double[]> sums = new TreeMap<>();
        for (SubnetEpoch s : subnetEpochs) {
            if (counted(s.epoch())) {
                double[] a = sums.computeIfAbsent(s.netuid(), k -> new double[4]);
                a[0] += s.topMinerScore();
                a[1] += s.bestScore();
                a[2] += s.baselineScore();
                a[3]++;
            }
        }
        Map<Integer, double[]> out = new TreeMap<>();
        sums.forEach((netuid, a) -> out.put(netuid, new double[] {a[0] / a[3], a[1] / a[3], a[2] / a[3]}));
        return out;
    }

    /** The mechanism each subnet runs. */
    public Map<Integer, String> mechanisms() {
        Map<Integer, String> out = new TreeMap<>();
        subnetEpochs.forEach(s -> out.put(s.netuid(), s.mechanism()));
        return out;
    }

    /** TAO the emission policy put into each subnet's pool, rao, over the counted epochs. */
    public Map<Integer, Long> taoIn() {
        Map<Integer, Long> out = new TreeMap<>();
        subnetEpochs.stream().filter(s -> counted(s.epoch())).forEach(s -> out.merge(s.netuid(), s.taoIn(), Long::sum));
        return out;
    }

    /** TAO the subnet's users paid it, rao, over the counted epochs. */
    public Map<Integer, Long> paid() {
        Map<Integer, Long> out = new TreeMap<>();
        subnetEpochs.stream().filter(s -> counted(s.epoch())).forEach(s -> out.merge(s.netuid(), s.paidTao(), Long::sum));
        return out;
    }

    /** Each subnet's mean pool price over the counted epochs, TAO per alpha. */
    public Map<Integer, Double> meanPrice() {
        Map<Integer, double[]> sums = new TreeMap<>();
        subnetEpochs.stream().filter(s -> counted(s.epoch())).forEach(s -> {
            double[] a = sums.computeIfAbsent(s.netuid(), k -> new double[2]);
            a[0] += s.price();
            a[1]++;
        });
        Map<Integer, Double> out = new TreeMap<>();
        sums.forEach((netuid, a) -> out.put(netuid, a[0] / a[1]));
        return out;
    }

    /** Each subnet's share of the TAO emission, over the counted epochs. */
    public Map<Integer, Double> taoShares() {
        Map<Integer, Long> in = taoIn();
        double all = in.values().stream().mapToLong(Long::longValue).sum();
        Map<Integer, Double> out = new TreeMap<>();
        in.forEach((netuid, v) -> out.put(netuid, all > 0 ? v / all : 0));
        return out;
    }

    /** The epochs recorded, 0 .. epochs − 1. */
    public TreeSet<Integer> epochs() {
        TreeSet<Integer> out = new TreeSet<>();
        subnetEpochs.forEach(s -> out.add(s.epoch()));
        return out;
    }
}
