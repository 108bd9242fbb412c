package io.cortex.ledger.state;

import io.cortex.ledger.audit.EpochPayout;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.yuma.EpochInput;
import io.cortex.ledger.yuma.EpochOutput;
import io.cortex.ledger.yuma.YumaEpoch;
import io.cortex.core.identity.Address;
import java.util.ArrayList;
import java.util.Iterator;
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
        int tempo = subnet.hyper.tempo();
        long since = now - subnet.lastEpochBlock;
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

    static List<EpochRecord> runDue(LedgerState s, long now) {
        List<EpochRecord> records = new ArrayList<>();
        for (Subnet subnet : s.subnets.values()) {
            if (records.size() < s.config.maxEpochsPerBlock() && due(subnet, now)) {
                records.add(run(s, subnet, now));
            }
        }
        return records;
    }

    static EpochRecord run(LedgerState s, Subnet subnet, long now) {
        long emission = subnet.pendingServer + subnet.pendingValidator;
        long ownerCut = subnet.pendingOwnerCut;
        subnet.pendingServer = 0;
        subnet.pendingValidator = 0;
        subnet.pendingOwnerCut = 0;

        EpochInput input = input(subnet, now, emission, s.config.epochOverrides());
        EpochOutput output = YumaEpoch.run(input);
        EpochPayout payout = pay(s, subnet, output, emission, ownerCut);

        for (int uid = 0; uid < subnet.n; uid++) {
            subnet.permit[uid] = output.validatorPermit()[uid];
            subnet.emission[uid] = output.emission()[uid];
            subnet.incentive[uid] = output.incentive()[uid];
            subnet.dividends[uid] = output.dividends()[uid];
            subnet.consensus[uid] = output.consensus()[uid];
            subnet.validatorTrust[uid] = output.validatorTrust()[uid];
            subnet.stakeWeight[uid] = output.stakeWeight()[uid];
            subnet.active[uid] = output.active()[uid];
        }
        subnet.bonds = output.bonds();
        subnet.lastMechanismStepBlock = now;
        subnet.lastEpochBlock = now;
        long index = subnet.epochIndex;
        subnet.epochIndex++;
        dropExpiredCommits(subnet);
        return EpochRecord.of(subnet.netuid, now, index, input, output, payout);
    }

    /** The epoch's view of the subnet (epoch-io.md). */
    static EpochInput input(Subnet subnet, long now, long emission, Map<String, Long> overrides) {
        SubnetHyperparameters hyper = subnet.hyper;
        for (var o : overrides.entrySet()) {
            hyper = hyper.with(o.getKey(), o.getValue());
        }
        int n = subnet.n;
        long[] stake = new long[n];
        boolean[] permit = new boolean[n];
        for (int uid = 0; uid < n; uid++) {
            stake[uid] = subnet.stakeOf(subnet.hotkey[uid]);
            permit[uid] = subnet.permit[uid];
        }
        int owner = subnet.uidOf(subnet.ownerHotkey);
        long[] commits = null;
        if (subnet.hyper.commitReveal()) {
            commits = new long[n];
            for (int uid = 0; uid < n; uid++) {
                commits[uid] = earliestLiveCommit(subnet, subnet.hotkey[uid]);
            }
        }
        return new EpochInput(n, now, subnet.hyper.tempo(), emission, subnet.lastMechanismStepBlock,
                owner < 0 ? EpochInput.NO_OWNER : owner, hyper.forEpoch(), stake,
                java.util.Arrays.copyOf(subnet.lastUpdate, n), java.util.Arrays.copyOf(subnet.registeredAt, n), permit,
                subnet.weightsMatrix(), subnet.bonds.resized(n), commits);
    }

    private static long earliestLiveCommit(Subnet subnet, Address hotkey) {
        long earliest = EpochInput.NO_COMMIT;
        long period = subnet.hyper.get("reveal_period");
        for (Subnet.Commit c : subnet.commits.getOrDefault(hotkey, List.of())) {
            if (c.epoch() + period >= subnet.epochIndex) {
                earliest = Math.min(earliest, c.block());
            }
        }
        return earliest;
    }

    private static void dropExpiredCommits(Subnet subnet) {
        long period = subnet.hyper.get("reveal_period");
        Iterator<Map.Entry<Address, List<Subnet.Commit>>> it = subnet.commits.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Address, List<Subnet.Commit>> e = it.next();
            List<Subnet.Commit> live = new ArrayList<>(e.getValue());
            live.removeIf(c -> c.epoch() + period < subnet.epochIndex);
            if (live.isEmpty()) {
                it.remove();
            } else {
                e.setValue(live);
            }
        }
    }

    /**
     * Section 5.6: miners get their incentive as stake on their own hotkey (burned when the hotkey is the
     * subnet owner's), validators share the rest of the emission pro rata to their dividends, keeping their
     * take and adding the remainder to their nominators' pool, and the owner cut is staked on the owner's
     * hotkey. What rounding leaves is burned.
     */
    static EpochPayout pay(LedgerState s, Subnet subnet, EpochOutput output, long emission, long ownerCut) {
        long[] minerPaid = new long[subnet.n];
        long[] validatorPaid = new long[subnet.n];
        long paid = 0;
        long incentive = 0;
        long burnedToOwner = 0;
        for (int uid = 0; uid < subnet.n; uid++) {
            long amount = output.serverEmission()[uid];
            if (amount <= 0) {
                continue;
            }
            incentive += amount;
            Address hotkey = subnet.hotkey[uid];
            Address owner = s.ownerOf(hotkey);
            if (hotkey.equals(subnet.ownerHotkey) || subnet.ownerColdkey.equals(owner)) {
                burnedToOwner += amount;
                subnet.alphaBurned += amount;
            } else {
                subnet.stakeBook(hotkey).deposit(owner, amount);
                minerPaid[uid] = amount;
            }
            paid += amount;
        }
        subnet.minerBurned = incentive > 0 ? (double) burnedToOwner / incentive : 0;

        long forValidators = emission - incentive;
        long weightSum = 0;
        for (int uid = 0; uid < subnet.n; uid++) {
            weightSum += output.validatorEmission()[uid];
        }
        if (forValidators > 0 && weightSum > 0) {
            for (int uid = 0; uid < subnet.n; uid++) {
                long amount = Rao.mulDiv(forValidators, output.validatorEmission()[uid], weightSum);
                if (amount > 0) {
                    payValidator(s, subnet, subnet.hotkey[uid], amount);
                    validatorPaid[uid] = amount;
                    paid += amount;
                }
            }
        }
        subnet.alphaBurned += emission - paid; // rounding dust, or a validator bucket nobody had dividends for

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
