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
        // each subnet its users' payments, unless they add up to more than the block emits
        if (EmissionPolicy.total(subnets, DemandPolicy::paid) > 1) {
            return EmissionPolicy.proportional(subnets, DemandPolicy::paid);
        }
        return subnets.stream().mapToDouble(DemandPolicy::paid).toArray();
    }

    /** What the subnet's users paid per block, in units of the block emission; nothing when not a number. */
    private static double paid(SubnetSignal s) {
        double d = s.demand();
        return Double.isFinite(d) ? Math.max(0, d) : 0;
    }

    @Override
    public String reason(List<SubnetSignal> subnets, double[] shares, int i) {
        double total = EmissionPolicy.total(subnets, DemandPolicy::paid);
        String paid = "users paid " + EmissionPolicy.number(subnets.get(i).demand()) + " of a block's emission per block";
        return total > 1
                ? String.format(Locale.ROOT, "%s, of %s paid to all %d subnets: %s", paid, EmissionPolicy.number(total),
                subnets.size(), EmissionPolicy.percent(shares[i]))
                : paid + " (what no subnet earned is recycled): " + EmissionPolicy.percent(shares[i]);
    }
}
