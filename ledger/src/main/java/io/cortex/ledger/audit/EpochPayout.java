package io.cortex.ledger.audit;

/**
 * What an epoch actually paid, per uid, in alpha rao (yuma.md section 5.6 as Cortex applies it): a miner its
 * server emission as stake on its hotkey (zero when the hotkey is the owner's, whose incentive is burned), a
 * validator {@code validatorPot * validatorEmission[uid] / validatorWeightSum}, rounded down; the owner cut
 * goes to the owner's hotkey and what rounding leaves is burned.
 *
 * @param miner per uid, incentive paid
 * @param validator per uid, dividends paid (before the validator's take is split from its nominators' share)
 * @param validatorPot the epoch's emission less the miners' incentive
 * @param validatorWeightSum the sum of the epoch output's validator emission, the divisor of the pot
 * @param ownerCut staked on the owner's hotkey
 * @param burned emission nobody was paid: the owner's own incentive and rounding dust
 */
public record EpochPayout(long[] miner, long[] validator, long validatorPot, long validatorWeightSum, long ownerCut,
                          long burned) {

    /** Everything uid was paid this epoch. */
    public long total(int uid) {
        return miner[uid] + validator[uid];
    }
}
