package io.cortex.ledger.emission;

import java.util.List;

/** Every emitting subnet gets the same share: the yardstick the other policies are compared with. */
public final class EqualSharesPolicy implements EmissionPolicy {
    @Override
    public String name() {
        return "equal";
    }

    @Override
    public double[] shares(List<SubnetSignal> subnets) {
        return EmissionPolicy.proportional(subnets, s -> 1);
    }

    @Override
    public String reason(List<SubnetSignal> subnets, double[] shares, int i) {
        return "an equal share of " + subnets.size() + " emitting subnets: " + EmissionPolicy.percent(shares[i]);
    }
}
