package io.cortex.ledger.emission;

import java.util.List;
import java.util.Locale;

/**
 * The current subtensor rule (yuma.md section 5.3): shares by moving (EMA) alpha price, discounted by the
 * fraction of miner emission the subnet burned to its owner's own hotkeys, with the plain price shares as
 * fallback when the discount leaves nothing.
 */
public final class PriceEmaPolicy implements EmissionPolicy {
    @Override
    public String name() {
        return "price-ema";
    }

    @Override
    public double[] shares(List<SubnetSignal> subnets) {
        double[] byDiscountedPrice = EmissionPolicy.proportional(subnets, PriceEmaPolicy::discountedPrice);
        return EmissionPolicy.anyPositive(byDiscountedPrice) ? byDiscountedPrice
                : EmissionPolicy.proportional(subnets, SubnetSignal::movingPrice);
    }

    /** The moving price less the share of miner emission the owner burned to its own hotkeys. */
    private static double discountedPrice(SubnetSignal s) {
        return s.movingPrice() * (1 - s.minerBurned());
    }

    @Override
    public String reason(List<SubnetSignal> subnets, double[] shares, int i) {
        double discountedSum = EmissionPolicy.total(subnets, PriceEmaPolicy::discountedPrice);
        double priceSum = EmissionPolicy.total(subnets, SubnetSignal::movingPrice);
        SubnetSignal s = subnets.get(i);
        if (discountedSum > 0) {
            return String.format(Locale.ROOT, "moving price %s x (1 - %.2f burned) of %s over %d subnets: %s",
                    EmissionPolicy.number(s.movingPrice()), s.minerBurned(), EmissionPolicy.number(discountedSum),
                    subnets.size(), EmissionPolicy.percent(shares[i]));
        }
        if (priceSum <= 0) {
            return "no subnet has a moving price yet: " + EmissionPolicy.percent(shares[i]);
        }
        return String.format(Locale.ROOT, "moving price %s of %s over %d subnets (every subnet burned its miners' "
                        + "emission): %s", EmissionPolicy.number(s.movingPrice()), EmissionPolicy.number(priceSum),
                subnets.size(), EmissionPolicy.percent(shares[i]));
    }
}
