package io.cortex.ledger.state;

import io.cortex.ledger.audit.EpochPayout;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.yuma.EpochInput;
import io.cortex.ledger.yuma.EpochOutput;
import io.cortex.ledger.yuma.YumaEpoch;
import io.cortex.core.identity.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The epoch clock and payout (yuma.md sections 3 and 5.6): a subnet's epoch is due {@code tempo} blocks
 * after its last one (at most {@code maxEpochsPerBlock} per block, in netuid order); it drains the pending
 * buckets, runs {@link YumaEpoch} on the subnet's state, pays miners their incentive and validators the rest
 * by dividends (less nothing: childkeys and root claims are left out of Cortex), pays the owner cut, and
 * stores permits, bonds and outputs for the next epoch.
 */
final class Epochs {
    /** An epoch runs at the latest this many blocks after the last, whatever the tempo (MAX_TEMPO). */
    static final long MAX_TEMPO = 50_400;

    private Epochs() {
    }

    static boolean due(Subnet subnet, long now) {
        int tempo = subnet.hyperparameters().tempo();
        long since = now - subnet.lastEpochBlock();
        return !subnet.isRoot() && tempo > 0 && (since >= tempo || since > MAX_TEMPO);
    }

    /** Whether the subnet's epoch runs at the end of this block (due, and within the per-block cap). */
    static boolean firesThisBlock(LedgerState s, Subnet subnet, long now) {
        int ahead = 0;
        for (Subnet other : s.subnets.values()) {
            if (due(other, now)) {
                if (other == subnet) {
                    return ahead < s.config.maxEpochsPerBlock();
                }
                ahead++;
            }
        }
        return false;
    }

    /** The epochs run in a block, and how long each took (nanoseconds; not state). */
    record Ran(List<EpochRecord> records, List<Long> nanos) {
    }

    static Ran runDue(LedgerState s, long now) {
        List<EpochRecord> records = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        for (Subnet subnet : s.subnets.values()) {
            if (records.size() < s.config.maxEpochsPerBlock() && due(subnet, now)) {
                long started = System.nanoTime();
                records.add(run(s, subnet, now));
                nanos.add(System.nanoTime() - started);
            }
        }
        return new Ran(records, nanos);
    }

    static EpochRecord run(LedgerState s, Subnet subnet, long now) {
        EmissionBuckets taken = subnet.takeBuckets();
        long emission = taken.emission();
        long ownerCut = taken.ownerCut();

        EpochInput input = input(subnet, now, emission, s.config.epochOverrides());
        EpochOutput output = YumaEpoch.run(input);
        EpochPayout payout = pay(s, subnet, output, emission, ownerCut);

        subnet.neurons.recordEpoch(output);
        long index = subnet.epochRan(now);
        subnet.commits.dropExpired(subnet.hyperparameters().revealPeriod(), subnet.epochIndex());
        return EpochRecord.of(subnet.netuid, now, index, input, output, payout);
    }

    /** The epoch's view of the subnet (epoch-io.md). */
    static EpochInput input(Subnet subnet, long now, long emission, Map<String, Long> overrides) {
        SubnetHyperparameters hyper = subnet.hyperparameters();
        for (var o : overrides.entrySet()) {
            hyper = hyper.with(o.getKey(), o.getValue());
        }
        Neurons neurons = subnet.neurons;
        int n = neurons.size();
        long[] stake = new long[n];
        boolean[] permit = new boolean[n];
        for (int uid = 0; uid < n; uid++) {
            stake[uid] = subnet.stakeOf(neurons.hotkey(uid));
            permit[uid] = neurons.permit(uid);
        }
        int owner = subnet.uidOf(subnet.ownerHotkey);
        long[] commits = null;
        SubnetHyperparameters own = subnet.hyperparameters();
        if (own.commitReveal()) {
            commits = new long[n];
            for (int uid = 0; uid < n; uid++) {
                commits[uid] = subnet.commits.earliestLive(neurons.hotkey(uid), own.revealPeriod(), subnet.epochIndex());
            }
        }
        return new EpochInput(n, now, own.tempo(), emission, subnet.lastMechanismStepBlock(),
                owner < 0 ? EpochInput.NO_OWNER : owner, hyper.forEpoch(), stake, neurons.lastUpdates(),
                neurons.registrations(), permit, neurons.weightsMatrix(), neurons.bonds().resized(n), commits);
    }

    /**
     * Section 5.6: miners get their incentive as stake on their own hotkey (burned when the hotkey is the
     * subnet owner's), validators share the rest of the emission pro rata to their dividends, keeping their
     * take and adding the remainder to their nominators' pool, and the owner cut is staked on the owner's
     * hotkey. What rounding leaves is burned.
     */
    static EpochPayout pay(LedgerState s, Subnet subnet, EpochOutput output, long emission, long ownerCut) {
        int n = subnet.size();
        long[] minerPaid = new long[n];
        long[] validatorPaid = new long[n];
        long paid = 0;
        long incentive = 0;
        long burnedToOwner = 0;
        for (int uid = 0; uid < n; uid++) {
            long amount = output.serverEmission()[uid];
            if (amount <= 0) {
                continue;
            }
            incentive += amount;
            Address hotkey = subnet.hotkey(uid);
            Address owner = s.ownerOf(hotkey);
            if (hotkey.equals(subnet.ownerHotkey) || subnet.ownerColdkey.equals(owner)) {
                burnedToOwner += amount;
                subnet.pool.burn(amount);
            } else {
                subnet.stakeBook(hotkey).deposit(owner, amount);
                minerPaid[uid] = amount;
            }
            paid += amount;
        }
        subnet.pool.recordMinerBurned(incentive > 0 ? (double) burnedToOwner / incentive : 0);

        long forValidators = emission - incentive;
        long weightSum = 0;
        for (int uid = 0; uid < n; uid++) {
            weightSum += output.validatorEmission()[uid];
        }
        if (forValidators > 0 && weightSum > 0) {
            for (int uid = 0; uid < n; uid++) {
                long amount = Rao.mulDiv(forValidators, output.validatorEmission()[uid], weightSum);
                if (amount > 0) {
                    payValidator(s, subnet, subnet.hotkey(uid), amount);
                    validatorPaid[uid] = amount;
                    paid += amount;
                }
            }
        }
        subnet.pool.burn(emission - paid); // rounding dust, or a validator bucket nobody had dividends for

        if (ownerCut > 0) {
            subnet.stakeBook(subnet.ownerHotkey).deposit(subnet.ownerColdkey, ownerCut);
        }
        return new EpochPayout(minerPaid, validatorPaid, Math.max(0, forValidators), weightSum, ownerCut,
                emission - paid + burnedToOwner);
    }

    private static void payValidator(LedgerState s, Subnet subnet, Address hotkey, long amount) {
        Address owner = s.ownerOf(hotkey);
        long take = Rao.mulDiv(amount, s.validatorTake(hotkey), 65_535);
        HotkeyStake book = subnet.stakeBook(hotkey);
        book.deposit(owner, take);
        long rest = amount - take;
        if (book.totalShares() > 0) {
            book.reward(rest);
        } else {
            book.deposit(owner, rest);
        }
    }
}
