package io.cortex.ledger.emission;

import java.util.List;
import java.util.Locale;

/**
 * Emission follows what users pay (burn and mint): each subnet's share is what its users paid per block
 * ({@link SubnetSignal#demand()}: a moving average from 0, in units of the block emission), and nothing when
 * nobody pays. When users pay more in all than the block emits, the emission is split in proportion to the
 * payments. What the payments leave of the emission is recycled.
 *
 * <p>The average counts each payment, summed over all the blocks after it, exactly once, so the TAO a subnet
 * ever receives under this policy is at most what its users paid; and the payment itself was spent buying
 * the subnet's alpha to burn it. Paying one's own subnet buys emission, never at a discount.
 */
public final class DemandPolicy implements EmissionPolicy {
    @Override
    public String name() {
        return "demand";
    }

    @Override
    public double[] shares(List<SubnetSignal> subnets) {
        double[] shares = new double[subnets.size()];
        double total = 0;
        for (int i = 0; i < shares.length; i++) {
            double d = subnets.get(i).demand();
            shares[i] = Double.isFinite(d) ? Math.max(0, d) : 0;
            total += shares[i];
        }
        if (total > 1) {
            for (int i = 0; i < shares.length; i++) {
                shares[i] /= total;
            }
        }
        return shares;
    }

    @Override
    public String reason(List<SubnetSignal> subnets, double[] shares, int i) {
        double total = 0;
        for (SubnetSignal s : subnets) {
            total += Double.isFinite(s.demand()) ? Math.max(0, s.demand()) : 0;
        }
        String paid = "users paid " + EmissionPolicy.number(subnets.get(i).demand()) + " of a block's emission per block";
        return total > 1
                ? String.format(Locale.ROOT, "%s, of %s paid to all %d subnets: %s", paid, EmissionPolicy.number(total),
                subnets.size(), EmissionPolicy.percent(shares[i]))
                : paid + " (what no subnet earned is recycled): " + EmissionPolicy.percent(shares[i]);
    }
}
