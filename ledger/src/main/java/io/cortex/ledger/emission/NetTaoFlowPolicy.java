package io.cortex.ledger.emission;

import java.util.List;
import java.util.Locale;

/**
 * The TAO-flow rule subtensor used from late 2025 to mid 2026 (yuma.md section 5.3, "flow method"): shares
 * by the moving average of net TAO staked into each subnet (stake in minus stake out, registration burns
 * as inflow), subnets with a net outflow get nothing; equal shares while no subnet has inflow. The
 * protocol-flow correction of the original is left out.
 */
public final class NetTaoFlowPolicy implements EmissionPolicy {
    @Override
    public String name() {
        return "net-tao-flow";
    }

    @Override
    public double[] shares(List<SubnetSignal> subnets) {
        double[] byInflow = EmissionPolicy.proportional(subnets, SubnetSignal::netTaoFlow);
        return EmissionPolicy.anyPositive(byInflow) ? byInflow : new EqualSharesPolicy().shares(subnets);
    }

    @Override
    public String reason(List<SubnetSignal> subnets, double[] shares, int i) {
        double sum = EmissionPolicy.total(subnets, SubnetSignal::netTaoFlow);
        if (sum <= 0) {
            return "no subnet has a net TAO inflow, so equal shares over " + subnets.size() + " subnets: "
                    + EmissionPolicy.percent(shares[i]);
        }
        return String.format(Locale.ROOT, "net TAO inflow %s rao/block of %s over %d subnets: %s",
                EmissionPolicy.number(Math.max(0, subnets.get(i).netTaoFlow())), EmissionPolicy.number(sum), subnets.size(),
                EmissionPolicy.percent(shares[i]));
    }
}
