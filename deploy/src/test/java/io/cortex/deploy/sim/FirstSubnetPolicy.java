package io.cortex.deploy.sim;

import io.cortex.ledger.emission.EmissionPolicy;
import java.util.List;

/**
 * A researcher's own emission policy, as SIMULATE.md describes it: everything to the lowest netuid that
 * emits. Registered in this module's test resources under {@code META-INF/services}.
 */
public final class FirstSubnetPolicy implements EmissionPolicy {
    @Override
    public String name() {
        return "first-subnet";
    }

    @Override
    public double[] shares(List<SubnetSignal> subnets) {
        double[] shares = new double[subnets.size()];
        int first = 0;
        for (int i = 1; i < subnets.size(); i++) {
            if (subnets.get(i).netuid() < subnets.get(first).netuid()) {
                first = i;
            }
        }
        if (shares.length > 0) {
            shares[first] = 1;
        }
        return shares;
    }
}
