package io.cortex.ledger.audit;

import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.yuma.EpochInput;
import io.cortex.ledger.yuma.EpochJson;
import io.cortex.ledger.yuma.EpochOutput;

/**
 * One epoch as the ledger ran it: the subnet, the block, the input (and its hash, SHA-256 of its JSON), the
 * output, and what it paid. {@code cortex epoch --in input.json} re-runs it; {@code cortex explain} derives a
 * neuron's payout from it.
 */
public record EpochRecord(int netuid, long block, long epochIndex, byte[] inputHash, EpochInput input, EpochOutput output,
                          EpochPayout payout) {

    public static EpochRecord of(int netuid, long block, long epochIndex, EpochInput input, EpochOutput output,
                                 EpochPayout payout) {
        return new EpochRecord(netuid, block, epochIndex, Canonical.sha256(EpochJson.inputBytes(input)), input, output,
                payout);
    }

    /** One line for logs: emission, what miners and validators got, the top miner, the input hash. */
    public String summary(double price) {
        int n = output.incentive().length;
        int top = 0;
        long dividendsPaid = 0;
        long incentivePaid = 0;
        for (int uid = 0; uid < n; uid++) {
            if (output.incentive()[uid] > output.incentive()[top]) {
                top = uid;
            }
            dividendsPaid += output.validatorEmission()[uid];
            incentivePaid += output.serverEmission()[uid];
        }
        return String.format(java.util.Locale.ROOT,
                "block %d netuid %d epoch %d: n=%d emission %s alpha (miners %s, validators %s), top miner uid %d "
                        + "incentive %.4f, price %.6f TAO, input %s",
                block, netuid, epochIndex, n, Rao.format(input.emission()), Rao.format(incentivePaid),
                Rao.format(dividendsPaid), top, n == 0 ? 0 : output.incentive()[top] / 65535.0, price,
                inputHashHex().substring(0, 16));
    }

    public String inputHashHex() {
        return Canonical.hex(inputHash);
    }
}
