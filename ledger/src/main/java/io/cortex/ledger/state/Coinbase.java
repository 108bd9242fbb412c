package io.cortex.ledger.state;

import io.cortex.ledger.emission.BlockEmission;
import io.cortex.ledger.emission.EmissionPolicy;
import io.cortex.ledger.fixed.Rao;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The coinbase of every block (yuma.md sections 5.1 to 5.5 and 5.7): block emission halving by issuance,
 * split across the emitting subnets by the configured {@link EmissionPolicy}; each subnet's share is
 * injected into its pool (capped by the root proportion, the excess buying alpha for the protocol), its
 * alpha emission is minted into the owner, miner and validator buckets, and its moving price is updated.
 * Root dividends are left out of Cortex: the root share of alpha emission is recycled.
 */
final class Coinbase {
    /** SubnetMovingAlpha and EMAPriceHalvingBlocks of section 5.7. */
    static final double MOVING_ALPHA = 0.000003;
    static final double PRICE_HALVING_BLOCKS = 201_600;

    private Coinbase() {
    }

    /** Mints the block's emission; returns the TAO minted into each subnet's pool by netuid. */
    static Map<Integer, Long> run(LedgerState s, long now) {
        Map<Integer, Long> taoIn = new TreeMap<>();
        long blockEmission = BlockEmission.of(s.totalIssuance);
        List<Subnet> emitting = emitting(s);
        List<EmissionPolicy.SubnetSignal> signals = signals(emitting, blockEmission);
        double[] shares = emitting.isEmpty() ? new double[0] : checked(s.config.emissionPolicy(), signals);
        long minted = 0;
        long rootTao = s.subnets.get(0).taoReserve();
        for (int i = 0; i < emitting.size(); i++) {
            Subnet subnet = emitting.get(i);
            long tao = (long) Math.floor(blockEmission * shares[i]);
            double rho = rootProportion(s, subnet, rootTao);
            long in = inject(subnet, tao, rho);
            minted += in;
            if (in > 0) {
                taoIn.put(subnet.netuid, in);
            }
            emitAlpha(s, subnet, rho);
        }
        s.issued(minted, blockEmission - minted);
        for (Subnet subnet : s.subnets.values()) {
            if (!subnet.isRoot()) {
                updateFlow(s, subnet);
                updateDemand(s, subnet);
            }
        }
        for (Subnet subnet : emitting) {
            updateMovingPrice(subnet, now);
        }
        return taoIn;
    }

    /** The subnets the next block emits to: started, open to registration, not root. */
    private static List<Subnet> emitting(LedgerState s) {
        List<Subnet> emitting = new ArrayList<>();
        for (Subnet subnet : s.subnets.values()) {
            if (!subnet.isRoot() && subnet.started() && subnet.hyperparameters().registrationAllowed()) {
                emitting.add(subnet);
            }
        }
        return emitting;
    }

    /** What the emission policy reads of each emitting subnet. */
    private static List<EmissionPolicy.SubnetSignal> signals(List<Subnet> emitting, long blockEmission) {
        List<EmissionPolicy.SubnetSignal> signals = new ArrayList<>();
        for (Subnet subnet : emitting) {
            signals.add(new EmissionPolicy.SubnetSignal(subnet.netuid, subnet.movingPrice(), subnet.minerBurned(),
                    subnet.netTaoFlow(), blockEmission > 0 ? subnet.demand() / blockEmission : 0));
        }
        return signals;
    }

    /**
     * Each subnet's share of the next block's emission as the policy gives it from the signals now, with the
     * policy's reason for it; subnets that do not emit get 0 and say why. A forecast: the next block's own
     * transactions (a subnet started, stake moved) can change what it mints.
     */
    static Map<Integer, EmissionShare> outlook(LedgerState s) {
        Map<Integer, EmissionShare> out = new TreeMap<>();
        EmissionPolicy policy = s.config.emissionPolicy();
        List<Subnet> emitting = emitting(s);
        List<EmissionPolicy.SubnetSignal> signals = signals(emitting, BlockEmission.of(s.totalIssuance));
        double[] shares = null;
        String failed = null;
        try {
            shares = emitting.isEmpty() ? new double[0] : checked(policy, signals);
        } catch (RuntimeException e) {
            failed = "policy " + policy.name() + " failed: " + e.getMessage();
        }
        for (int i = 0; i < emitting.size(); i++) {
            Subnet subnet = emitting.get(i);
            String reason;
            try {
                reason = failed != null ? failed : policy.reason(signals, shares, i);
                if (reason == null || reason.isBlank()) {
                    reason = policy.name() + " gives " + EmissionPolicy.percent(shares[i]);
                }
            } catch (RuntimeException e) {
                reason = policy.name() + " gives " + EmissionPolicy.percent(shares[i]) + " (its reason failed: " + e + ")";
            }
            out.put(subnet.netuid, new EmissionShare(subnet.netuid, shares == null ? 0 : shares[i], reason,
                    subnet.movingPrice(), subnet.netTaoFlow()));
        }
        for (Subnet subnet : s.subnets.values()) {
            if (!subnet.isRoot() && !out.containsKey(subnet.netuid)) {
                out.put(subnet.netuid, new EmissionShare(subnet.netuid, 0, subnet.started()
                        ? "not emitting: registration is closed" : "not emitting: not started yet",
                        subnet.movingPrice(), subnet.netTaoFlow()));
            }
        }
        return out;
    }

    /**
     * The policy's shares, held to its contract before anything is minted: one per subnet (else the policy is
     * broken, and says so), a share is held to [0, 1] (NaN counts as 0), and shares summing past 1 are scaled
     * down to 1, so no policy mints more than the block emission.
     */
    static double[] checked(EmissionPolicy policy, List<EmissionPolicy.SubnetSignal> signals) {
        double[] raw = policy.shares(signals);
        if (raw == null || raw.length != signals.size()) {
            throw new IllegalStateException("emission policy '" + policy.name() + "' returned "
                    + (raw == null ? "no shares" : raw.length + " shares") + " for " + signals.size() + " subnets");
        }
        double[] shares = new double[raw.length];
        double sum = 0;
        for (int i = 0; i < raw.length; i++) {
            shares[i] = Double.isNaN(raw[i]) ? 0 : Math.max(0, Math.min(1, raw[i]));
            sum += shares[i];
        }
        if (sum > 1 + 1e-9) { // past rounding: a policy that normalised its shares is left bit for bit as it is
            for (int i = 0; i < shares.length; i++) {
                shares[i] /= sum;
            }
        }
        return shares;
    }

    /** {@code TaoWeight * root TAO / (TaoWeight * root TAO + alpha issuance)} (section 5.4). */
    static double rootProportion(LedgerState s, Subnet subnet, long rootTao) {
        double weighted = s.config.taoWeight() * rootTao;
        double total = weighted + subnet.alphaIssuance();
        return total > 0 ? weighted / total : 0;
    }

    /**
     * Section 5.4: alpha in = tau / price, capped at rho * alpha emission; the TAO matching it joins the
     * reserves at an unchanged price, the rest buys alpha for the protocol. Returns the TAO minted.
     */
    static long inject(Subnet subnet, long tao, double rootProportion) {
        if (tao <= 0) {
            return 0;
        }
        double price = subnet.price();
        long alphaEmission = BlockEmission.of(subnet.alphaIssuance());
        long cap = (long) Math.floor(rootProportion * alphaEmission);
        long alphaIn = price > 0 ? (long) Math.floor(tao / price) : 0;
        long taoIn = tao;
        if (alphaIn > cap) {
            alphaIn = cap;
            taoIn = Math.min(tao, (long) Math.floor(alphaIn * price));
        }
        long minted = 0;
        if (taoIn > 0 && alphaIn > 0) {
            double weight = subnet.pool.reweighted(taoIn, alphaIn);
            if (!Double.isNaN(weight)) {
                subnet.pool.inject(taoIn, alphaIn, weight);
                minted += taoIn;
            }
        }
        long excess = tao - taoIn;
        if (excess > 0) {
            // the chain buy: fee-free, the alpha is held by the protocol
            long bought = subnet.pool.alphaOut(excess);
            if (bought >= 0) {
                subnet.pool.protocolBuy(excess, bought);
                minted += excess;
            }
        }
        return minted;
    }

    /** Section 5.5: the alpha emission into the owner cut, then miners' and validators' halves. */
    static void emitAlpha(LedgerState s, Subnet subnet, double rootProportion) {
        long alphaOut = BlockEmission.of(subnet.alphaIssuance());
        if (alphaOut <= 0) {
            return;
        }
        subnet.pool.mint(alphaOut);
        long cut = subnet.hyperparameters().ownerCutEnabled() ? Rao.mulDiv(alphaOut, s.config.ownerCut(), 65_535) : 0;
        long rest = alphaOut - cut;
        long rootAlpha = (long) Math.floor(rootProportion * rest * 0.5);
        long server = rest / 2;
        subnet.fillBuckets(cut, server, rest - server - rootAlpha);
        subnet.pool.burn(rootAlpha); // root dividends are left out: recycled
    }

    /** The net TAO flow average (section 5.3, flow method), halving every {@code flowHalfLife} blocks. */
    static void updateFlow(LedgerState s, Subnet subnet) {
        double keep = StrictMath.pow(0.5, 1.0 / s.config.flowHalfLife());
        subnet.pool.settleFlow(keep);
    }

    /**
     * The demand average, with the same half-life as the flow's, from 0: a payment counts (1 - keep) keep^k in
     * the k-th block after it, so all it ever counts, summed, is the payment, and a policy that pays no more
     * than the demand pays out at most what was paid.
     */
    static void updateDemand(LedgerState s, Subnet subnet) {
        double keep = StrictMath.pow(0.5, 1.0 / s.config.flowHalfLife());
        subnet.pool.settleDemand(keep);
    }

    /** Section 5.7: {@code p <- a min(P, 1) + (1 - a) p}, with a growing from 0 as the subnet ages. */
    static void updateMovingPrice(Subnet subnet, long now) {
        double blocks = now - subnet.firstEmissionBlock();
        double alpha = MOVING_ALPHA * blocks / (blocks + PRICE_HALVING_BLOCKS);
        subnet.pool.updateMovingPrice(alpha, subnet.price());
    }
}
