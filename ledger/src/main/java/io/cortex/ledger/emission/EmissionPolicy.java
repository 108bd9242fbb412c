package io.cortex.ledger.emission;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.ToDoubleFunction;

/**
 * How a block's TAO emission is split across the subnets that emit (yuma.md section 5.3). Pluggable so that
 * policies can be compared on the same scenario; each built-in one has a name to pick it by in config and
 * scenarios.
 */
public interface EmissionPolicy {

    /**
     * What a policy may read of each emitting subnet.
     *
     * @param movingPrice the moving average of the alpha price, each block's price capped at 1 TAO
     * @param minerBurned the fraction of the last epoch's miner emission that went to the owner's own hotkeys
     * @param netTaoFlow  the moving average of net TAO staked into the subnet per block, rao
     * @param demand      what users paid the subnet per block ({@code PaySubnet}), averaged, in units of this
     *                    block's TAO emission: 0.25 means a quarter of the emission
     */
    record SubnetSignal(int netuid, double movingPrice, double minerBurned, double netTaoFlow, double demand) {
        /** A subnet nobody pays. */
        public SubnetSignal(int netuid, double movingPrice, double minerBurned, double netTaoFlow) {
            this(netuid, movingPrice, minerBurned, netTaoFlow, 0);
        }
    }

    String name();

    /**
     * Each subnet's share of the block emission, in the order given: non-negative, summing to at most 1
     * (what is left is recycled).
     */
    double[] shares(List<SubnetSignal> subnets);

    /**
     * Why subnet {@code i} of {@code subnets} gets {@code shares[i]} (the shares this policy returned, held to
     * its contract), in one line a person reads: the signal the policy weighs and its total over all subnets.
     * The dashboard and {@code cortex subnet list} show it. A policy of your own may say more than the default.
     */
    default String reason(List<SubnetSignal> subnets, double[] shares, int i) {
        return name() + " gives " + percent(shares[i]);
    }

    /** A share as a percentage, for reasons. */
    static String percent(double share) {
        return String.format(java.util.Locale.ROOT, "%.2f %%", share * 100);
    }

    /** A signal's value for reasons: four significant digits, no exponent, no trailing zeros. */
    static String number(double x) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        return new java.math.BigDecimal(x).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** The built-in policies, the default ({@code price-ema}) first; they hold no state. */
    static List<EmissionPolicy> builtIn() {
        return List.of(new PriceEmaPolicy(), new NetTaoFlowPolicy(), new DemandPolicy(), new EqualSharesPolicy());
    }

    /** The policy of that name, built-in or found on Cortex's own class path (see {@link #named(String, ClassLoader)}). */
    static EmissionPolicy named(String name) {
        return named(name, EmissionPolicy.class.getClassLoader());
    }

    /**
     * The built-in policy of that name ({@code price-ema}, the default, {@code net-tao-flow}, {@code demand},
     * {@code equal}),
     * or else one of your own that {@code loader} finds with {@link ServiceLoader}: a class with a public
     * no-argument constructor, listed in {@code META-INF/services/io.cortex.ledger.emission.EmissionPolicy}.
     * A built-in name cannot be taken (such a policy is never chosen). A provider that fails to load is
     * skipped, and named in the error when no policy of that name is found. Its shares go into the ledger's
     * state, so a policy must be a pure function of its input: the same signals, the same shares, on every
     * node. The ledger holds shares to the contract of {@link #shares}.
     */
    static EmissionPolicy named(String name, ClassLoader loader) {
        List<String> known = new ArrayList<>();
        for (EmissionPolicy p : builtIn()) {
            if (p.name().equals(name)) {
                return p;
            }
            known.add(p.name());
        }
        List<String> broken = new ArrayList<>();
        Iterator<EmissionPolicy> found = ServiceLoader.load(EmissionPolicy.class, loader).iterator();
        while (true) {
            EmissionPolicy p;
            String n;
            try {
                if (!found.hasNext()) {
                    break;
                }
                p = found.next();
                n = p.name();
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                broken.add(e.toString()); // one broken entry must not hide the others
                if (broken.size() >= 16) {
                    break; // the loader may not get past it
                }
                continue;
            }
            if (n.equals(name)) {
                return p;
            }
            if (!known.contains(n)) {
                known.add(n);
            }
        }
        throw new IllegalArgumentException("unknown emission policy '" + name + "' (there are: "
                + String.join(", ", known) + ")" + (broken.isEmpty() ? "" : "; could not load: " + String.join("; ", broken)));
    }

    /**
     * Shares in proportion to a signal of each subnet, a negative signal counting as none: all zeros when no
     * subnet has a positive signal.
     */
    static double[] proportional(List<SubnetSignal> subnets, ToDoubleFunction<SubnetSignal> signal) {
        double total = total(subnets, signal);
        double[] shares = new double[subnets.size()];
        if (total > 0) {
            for (int i = 0; i < shares.length; i++) {
                shares[i] = Math.max(0, signal.applyAsDouble(subnets.get(i))) / total;
            }
        }
        return shares;
    }

    /** A signal's total over the subnets, a negative signal counting as none: what proportional shares divide by. */
    static double total(List<SubnetSignal> subnets, ToDoubleFunction<SubnetSignal> signal) {
        double total = 0;
        for (SubnetSignal s : subnets) {
            total += Math.max(0, signal.applyAsDouble(s));
        }
        return total;
    }

    /** Whether any subnet gets a positive share, or the policy must fall back on another rule. */
    static boolean anyPositive(double[] shares) {
        for (double s : shares) {
            if (s > 0) {
                return true;
            }
        }
        return false;
    }
}
