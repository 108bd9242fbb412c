package io.cortex.ledger.state;

import io.cortex.ledger.fixed.I32F32;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Burned registration and pruning (yuma.md section 8): the burn price halves every {@code burn_half_life}
 * blocks and rises by {@code burn_increase_milli} per registration; the burned TAO buys alpha through the
 * pool and that alpha is destroyed; a full subnet prunes the uid with the lowest last emission.
 */
final class Registration {
    /** Pruning prefers non-immune uids while more than this many exist (MinNonImmuneUids). */
    static final int MIN_NON_IMMUNE_UIDS = 10;
    private static final Map<Long, Long> DECAY = new ConcurrentHashMap<>();

    private Registration() {
    }

    /** Every block, before the transactions: each subnet's burn decays toward its minimum. */
    static void decayBurns(LedgerState s) {
        for (Subnet subnet : s.subnets.values()) {
            if (!subnet.isRoot()) {
                long f = decayFactor(subnet.hyperparameters().burnHalfLife());
                subnet.reprice(clampBurn(subnet, I32F32.mul(subnet.burn(), f)));
            }
        }
    }

    /**
     * The per-block factor f in Q32 with f^halfLife = 1/2: the largest Q32 value whose power, computed by
     * repeated floor multiplication, is at most 1/2 (bisection, as subtensor does).
     */
    static long decayFactor(long halfLife) {
        return DECAY.computeIfAbsent(halfLife, h -> {
            long lo = 0;
            long hi = I32F32.ONE;
            while (lo < hi) {
                long mid = (lo + hi + 1) >>> 1;
                if (power(mid, h) <= I32F32.HALF) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        });
    }

    static long power(long base, long exponent) {
        long result = I32F32.ONE;
        long b = base;
        for (long e = exponent; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result = I32F32.mul(result, b);
            }
            b = I32F32.mul(b, b);
        }
        return result;
    }

    static long clampBurn(Subnet subnet, long burn) {
        SubnetHyperparameters h = subnet.hyperparameters();
        return Math.max(h.minBurn(), Math.min(h.maxBurn(), burn));
    }

    static Refusal register(LedgerState s, Address coldkey, Transaction.RegisterNeuron t, long now) {
        Subnet subnet = s.subnet(t.netuid());
        if (subnet == null || subnet.isRoot()) {
            return new Refusal(RejectReason.UNKNOWN_SUBNET, "no subnet " + t.netuid());
        }
        if (!subnet.hyperparameters().registrationAllowed()) {
            return new Refusal(RejectReason.REGISTRATION_CLOSED, "netuid " + t.netuid() + " takes no registrations");
        }
        if (subnet.uidOf(t.hotkey()) >= 0) {
            return new Refusal(RejectReason.ALREADY_REGISTERED, t.hotkey() + " holds uid " + subnet.uidOf(t.hotkey())
                    + " on netuid " + t.netuid());
        }
        Address owner = s.ownerOf(t.hotkey());
        if (owner != null && !owner.equals(coldkey)) {
            return new Refusal(RejectReason.HOTKEY_OWNED_ELSEWHERE, t.hotkey() + " belongs to " + owner);
        }
        long burn = subnet.burn();
        if (t.maxBurn() > 0 && burn > t.maxBurn()) {
            return new Refusal(RejectReason.BURN_ABOVE_LIMIT, "burn is " + Rao.format(burn) + " TAO, limit "
                    + Rao.format(t.maxBurn()));
        }
        if (s.balance(coldkey) < burn) {
            return Transactions.insufficient(s, coldkey, burn);
        }
        int uid = -1;
        if (subnet.size() >= subnet.hyperparameters().maxAllowedUids()) {
            uid = pruneCandidate(subnet, now);
            if (uid < 0) {
                return new Refusal(RejectReason.NO_SLOT, "all " + subnet.size() + " uids are immune or the owner's");
            }
        }
        s.debit(coldkey, burn);
        long bought = subnet.pool.alphaOut(burn);
        subnet.pool.buyAndBurn(burn, Math.max(0, bought)); // a pool that cannot sell keeps its alpha and takes the TAO
        s.hotkeyOwner.putIfAbsent(t.hotkey(), coldkey);
        if (uid < 0) {
            subnet.append(t.hotkey(), now);
        } else {
            subnet.replace(uid, t.hotkey(), now);
        }
        subnet.reprice(clampBurn(subnet, Rao.mulDiv(burn, subnet.hyperparameters().burnIncreaseMilli(), 1000)));
        return null;
    }

    /**
     * The uid a registration replaces (section 8): never the owner's hotkey; the lowest last emission, then
     * the earlier registration, then the lower uid; among non-immune uids while more than
     * {@link #MIN_NON_IMMUNE_UIDS} exist, else among the immune ones. -1 when none can go.
     */
    static int pruneCandidate(Subnet subnet, long now) {
        long immunity = subnet.hyperparameters().immunityPeriod();
        List<Integer> immune = new ArrayList<>();
        List<Integer> nonImmune = new ArrayList<>();
        for (int uid = 0; uid < subnet.size(); uid++) {
            if (subnet.hotkey(uid).equals(subnet.ownerHotkey)) {
                continue;
            }
            (now - subnet.registeredAt(uid) < immunity ? immune : nonImmune).add(uid);
        }
        List<Integer> pool = nonImmune.size() > MIN_NON_IMMUNE_UIDS || immune.isEmpty() ? nonImmune : immune;
        int best = -1;
        for (int uid : pool) {
            if (best < 0 || subnet.emission(uid) < subnet.emission(best)
                    || subnet.emission(uid) == subnet.emission(best) && subnet.registeredAt(uid) < subnet.registeredAt(best)) {
                best = uid;
            }
        }
        return best;
    }
}
