package io.cortex.ledger.yuma;

import java.util.Arrays;

/**
 * What one epoch writes (epoch-io.md, EpochOutput): u16 fields are {@code floor(65535 x)} of the
 * fixed-point result, rao fields are {@code floor(x E)}. Compared by value.
 */
public record EpochOutput(
        boolean[] active,
        int[] stakeWeight,
        boolean[] validatorPermit,
        int[] consensus,
        int[] validatorTrust,
        int[] incentive,
        int[] dividends,
        long[] serverEmission,
        long[] validatorEmission,
        long[] emission,
        StoredMatrix bonds) {

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochOutput x
                && Arrays.equals(active, x.active) && Arrays.equals(stakeWeight, x.stakeWeight)
                && Arrays.equals(validatorPermit, x.validatorPermit) && Arrays.equals(consensus, x.consensus)
                && Arrays.equals(validatorTrust, x.validatorTrust) && Arrays.equals(incentive, x.incentive)
                && Arrays.equals(dividends, x.dividends) && Arrays.equals(serverEmission, x.serverEmission)
                && Arrays.equals(validatorEmission, x.validatorEmission) && Arrays.equals(emission, x.emission)
                && bonds.equals(x.bonds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(emission) * 31 + bonds.hashCode();
    }

    @Override
    public String toString() {
        return "EpochOutput[incentive=" + Arrays.toString(incentive) + ", dividends=" + Arrays.toString(dividends)
                + ", emission=" + Arrays.toString(emission) + "]";
    }
}
