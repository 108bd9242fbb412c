package io.cortex.ledger.state;

import io.cortex.ledger.fixed.FixedVector;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.WeightCommitment;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The rules of every transaction (yuma.md sections 6 to 8). Each handler checks everything first and
 * returns a rejection before touching the state; only then does it change anything. The signer's nonce
 * advances only for an accepted transaction, so a rejected one leaves the state exactly as it was.
 */
final class Transactions {
    /** Subtensor's highest bonds_moving_average an owner may set (yuma.md section 2). */
    private static final long OWNER_MAX_BONDS_MOVING_AVERAGE = 975_000;
    private static final int MAX_ENDPOINT = 256;

    private Transactions() {
    }

    private static Refusal refuse(RejectReason reason, String detail) {
        return new Refusal(reason, detail);
    }

    /** Applies one transaction whose signature was already checked ({@code signatureValid}). */
    static Receipt apply(LedgerState s, SignedTransaction tx, boolean signatureValid, byte[] hash, long now) {
        Refusal refusal = common(s, tx, signatureValid);
        if (refusal == null) {
            refusal = dispatch(s, tx.signer(), tx.body(), now);
        }
        if (refusal != null) {
            return new Receipt.Rejected(hash, refusal.reason(), refusal.detail());
        }
        s.nonces.merge(tx.signer(), 1L, Long::sum);
        return new Receipt.Accepted(hash);
    }

    private static Refusal dispatch(LedgerState s, Address signer, Transaction body, long now) {
        if (body instanceof Transaction.Transfer t) {
            return transfer(s, signer, t);
        } else if (body instanceof Transaction.CreateSubnet t) {
            return createSubnet(s, signer, t, now);
        } else if (body instanceof Transaction.StartSubnet t) {
            return startSubnet(s, signer, t, now);
        } else if (body instanceof Transaction.RegisterNeuron t) {
            return Registration.register(s, signer, t, now);
        } else if (body instanceof Transaction.ServeAxon t) {
            return onUid(s, t.netuid(), signer, (subnet, uid) -> serveAxon(subnet, uid, t));
        } else if (body instanceof Transaction.AddStake t) {
            return Staking.add(s, signer, t);
        } else if (body instanceof Transaction.RemoveStake t) {
            return Staking.remove(s, signer, t);
        } else if (body instanceof Transaction.SetWeights t) {
            return onUid(s, t.netuid(), signer, (subnet, uid) -> setWeights(s, subnet, uid, t, now));
        } else if (body instanceof Transaction.CommitWeights t) {
            return onUid(s, t.netuid(), signer, (subnet, uid) -> commitWeights(s, subnet, uid, signer, t, now));
        } else if (body instanceof Transaction.RevealWeights t) {
            return onUid(s, t.netuid(), signer, (subnet, uid) -> revealWeights(s, subnet, uid, signer, t, now));
        } else if (body instanceof Transaction.SetHyperparameter t) {
            return setHyperparameter(s, signer, t);
        } else if (body instanceof Transaction.SetValidatorTake t) {
            return setValidatorTake(s, signer, t);
        } else if (body instanceof Transaction.PaySubnet t) {
            return Staking.pay(s, signer, t);
        }
        throw new IllegalArgumentException("no rule for " + body.getClass().getSimpleName());
    }

    /** What every transaction must satisfy: a valid signature, an allowed key, the next nonce. */
    private static Refusal common(LedgerState s, SignedTransaction tx, boolean signatureValid) {
        if (!signatureValid) {
            return refuse(RejectReason.BAD_SIGNATURE, "signature does not verify for " + tx.signer());
        }
        if (!s.config.devMode() && WellKnownKeys.ALL.contains(tx.signer())) {
            return refuse(RejectReason.DEV_KEY_REFUSED, tx.signer() + " is a well-known dev key");
        }
        long expected = s.nonce(tx.signer());
        if (tx.nonce() != expected) {
            return refuse(RejectReason.WRONG_NONCE, "expected nonce " + expected + ", got " + tx.nonce());
        }
        return null;
    }

    // Transfer: free TAO between coldkeys.
    static Refusal transfer(LedgerState s, Address from, Transaction.Transfer t) {
        if (t.amount() <= 0) {
            return refuse(RejectReason.INVALID_AMOUNT, "amount must be positive, got " + t.amount());
        }
        if (s.balance(from) < t.amount()) {
            return insufficient(s, from, t.amount());
        }
        s.debit(from, t.amount());
        s.credit(t.to(), t.amount());
        return null;
    }

    static Refusal insufficient(LedgerState s, Address account, long needed) {
        return refuse(RejectReason.INSUFFICIENT_BALANCE,
                "needs " + Rao.format(needed) + " TAO, has " + Rao.format(s.balance(account)));
    }

    // Section 6: a new subnet; the lock goes into its pool as TAO at the median subnet price.
    static Refusal createSubnet(LedgerState s, Address owner, Transaction.CreateSubnet t, long now) {
        long lock = s.lockCost(now);
        if (s.balance(owner) < lock) {
            return insufficient(s, owner, lock);
        }
        Address hotkeyOwner = s.ownerOf(t.ownerHotkey());
        if (hotkeyOwner != null && !hotkeyOwner.equals(owner)) {
            return refuse(RejectReason.HOTKEY_OWNED_ELSEWHERE, t.ownerHotkey() + " belongs to " + hotkeyOwner);
        }
        double price = medianPrice(s);
        int netuid = 1;
        while (s.subnets.containsKey(netuid)) {
            netuid++;
        }
        s.debit(owner, lock);
        Subnet subnet = Subnet.open(netuid, owner, t.ownerHotkey(), s.config.subnetDefaults(), now, lock,
                Math.max(1, (long) Math.floor(lock / price)), s.config.startBurn());
        s.subnets.put(netuid, subnet);
        s.hotkeyOwner.putIfAbsent(t.ownerHotkey(), owner);
        s.locked(lock, now);
        return null;
    }

    private static double medianPrice(LedgerState s) {
        double[] prices = s.subnets.values().stream().filter(x -> !x.isRoot()).mapToDouble(Subnet::price).sorted()
                .toArray();
        if (prices.length == 0) {
            return s.config.firstPoolPrice();
        }
        int mid = prices.length / 2;
        return prices.length % 2 == 1 ? prices[mid] : (prices[mid - 1] + prices[mid]) / 2;
    }

    // start_call: the owner starts emission.
    static Refusal startSubnet(LedgerState s, Address signer, Transaction.StartSubnet t, long now) {
        Subnet subnet = s.subnet(t.netuid());
        Refusal r = ownedSubnet(subnet, t.netuid(), signer);
        if (r != null) {
            return r;
        }
        if (subnet.started()) {
            return refuse(RejectReason.SUBNET_ALREADY_STARTED, "netuid " + t.netuid() + " started at block "
                    + subnet.firstEmissionBlock());
        }
        subnet.start(now);
        return null;
    }

    static Refusal ownedSubnet(Subnet subnet, int netuid, Address signer) {
        if (subnet == null || subnet.isRoot()) {
            return refuse(RejectReason.UNKNOWN_SUBNET, "no subnet " + netuid);
        }
        if (!subnet.ownerColdkey().equals(signer)) {
            return refuse(RejectReason.NOT_OWNER, "netuid " + netuid + " is owned by " + subnet.ownerColdkey());
        }
        return null;
    }

    /** What a hotkey does with its uid on a subnet: serve an axon, set, commit or reveal weights. */
    private interface UidRule {
        Refusal apply(Subnet subnet, int uid);
    }

    /** Runs {@code rule} on the uid {@code hotkey} holds on the subnet (not root), or refuses when it holds none. */
    private static Refusal onUid(LedgerState s, int netuid, Address hotkey, UidRule rule) {
        Subnet subnet = s.subnet(netuid);
        if (subnet == null || subnet.isRoot()) {
            return refuse(RejectReason.UNKNOWN_SUBNET, "no subnet " + netuid);
        }
        int uid = subnet.uidOf(hotkey);
        if (uid < 0) {
            return refuse(RejectReason.UNKNOWN_HOTKEY, hotkey + " is not registered on netuid " + netuid);
        }
        return rule.apply(subnet, uid);
    }

    // Serving an axon: the endpoint validators query the neuron at.
    static Refusal serveAxon(Subnet subnet, int uid, Transaction.ServeAxon t) {
        String endpoint = t.endpoint();
        if (endpoint.isEmpty() || endpoint.length() > MAX_ENDPOINT || !endpoint.chars().allMatch(c -> c > 32 && c < 127)) {
            return refuse(RejectReason.INVALID_ENDPOINT,
                    "an endpoint is 1 to " + MAX_ENDPOINT + " printable ASCII characters without spaces");
        }
        subnet.neurons.serve(uid, endpoint);
        return null;
    }

    // Section 7.1: weights set directly.
    static Refusal setWeights(LedgerState s, Subnet subnet, int uid, Transaction.SetWeights t, long now) {
        if (subnet.hyperparameters().commitReveal()) {
            return refuse(RejectReason.COMMIT_REVEAL_ON, "netuid " + t.netuid() + " runs commit-reveal");
        }
        Refusal r = rateLimit(subnet, uid, now);
        if (r == null) {
            r = weightChecks(s, subnet, uid, t.uids(), t.values(), t.versionKey());
        }
        if (r != null) {
            return r;
        }
        store(subnet, uid, t.uids(), t.values(), now, true);
        return null;
    }

    /** A commit's or a reveal's first check: the subnet runs commit-reveal. */
    private static Refusal commitRevealRequired(Subnet subnet, int netuid) {
        return subnet.hyperparameters().commitReveal() ? null
                : refuse(RejectReason.COMMIT_REVEAL_OFF, "netuid " + netuid + " takes weights directly");
    }

    // Section 7.2: a hash commit, tagged with the epoch it belongs to.
    static Refusal commitWeights(LedgerState s, Subnet subnet, int uid, Address hotkey, Transaction.CommitWeights t,
                                 long now) {
        Refusal r = commitRevealRequired(subnet, t.netuid());
        if (r == null) {
            r = rateLimit(subnet, uid, now);
        }
        if (r != null) {
            return r;
        }
        int pending = subnet.commits.of(hotkey).size();
        if (pending >= s.config.maxCommits()) {
            return refuse(RejectReason.TOO_MANY_COMMITS, pending + " commits await their reveal");
        }
        long epoch = subnet.epochIndex() + (Epochs.firesThisBlock(s, subnet, now) ? 1 : 0);
        subnet.commits.add(hotkey, new Subnet.Commit(t.commitHash().clone(), epoch, now));
        subnet.neurons.touch(uid, now); // commits count as activity
        return null;
    }

    // Section 7.2: the reveal, in the epoch commit_epoch + reveal_period only.
    static Refusal revealWeights(LedgerState s, Subnet subnet, int uid, Address hotkey, Transaction.RevealWeights t,
                                 long now) {
        Refusal r = commitRevealRequired(subnet, t.netuid());
        if (r != null) {
            return r;
        }
        byte[] hash = WeightCommitment.hash(hotkey, t.netuid(), t.uids(), t.values(), t.salt(), t.versionKey());
        Subnet.Commit commit = subnet.commits.find(hotkey, hash);
        if (commit == null) {
            return refuse(RejectReason.NO_COMMIT, "no commit of these weights, salt and version key");
        }
        long revealEpoch = commit.epoch() + subnet.hyperparameters().revealPeriod();
        if (subnet.epochIndex() < revealEpoch) {
            return refuse(RejectReason.REVEAL_TOO_EARLY, "reveal in epoch " + revealEpoch + ", now epoch "
                    + subnet.epochIndex());
        }
        if (subnet.epochIndex() > revealEpoch) {
            return refuse(RejectReason.REVEAL_EXPIRED, "the reveal window was epoch " + revealEpoch + ", now epoch "
                    + subnet.epochIndex());
        }
        r = weightChecks(s, subnet, uid, t.uids(), t.values(), t.versionKey());
        if (r != null) {
            return r;
        }
        subnet.commits.revealed(hotkey, commit);
        store(subnet, uid, t.uids(), t.values(), now, false);
        return null;
    }

    private static Refusal rateLimit(Subnet subnet, int uid, long now) {
        long limit = subnet.hyperparameters().weightsRateLimit();
        boolean neverSet = !subnet.neurons.hasWeights(uid) && subnet.lastUpdate(uid) == subnet.registeredAt(uid);
        long since = now - subnet.lastUpdate(uid);
        if (!neverSet && since < limit) {
            return refuse(RejectReason.RATE_LIMITED, "last update " + since + " blocks ago, the limit is " + limit);
        }
        return null;
    }

    /** The set_weights checks of section 7.1, without the rate limit. */
    private static Refusal weightChecks(LedgerState s, Subnet subnet, int uid, int[] uids, int[] values, long versionKey) {
        if (uids.length != values.length) {
            return refuse(RejectReason.WEIGHTS_INVALID, uids.length + " uids but " + values.length + " values");
        }
        if (versionKey < subnet.hyperparameters().weightsVersionKey()) {
            return refuse(RejectReason.WEIGHTS_INVALID, "version key " + versionKey + " below the subnet's "
                    + subnet.hyperparameters().weightsVersionKey());
        }
        Set<Integer> seen = new HashSet<>();
        for (int k = 0; k < uids.length; k++) {
            if (uids[k] < 0 || uids[k] >= subnet.size()) {
                return refuse(RejectReason.WEIGHTS_INVALID, "uid " + uids[k] + " out of range (n = " + subnet.size() + ")");
            }
            if (!seen.add(uids[k])) {
                return refuse(RejectReason.WEIGHTS_INVALID, "uid " + uids[k] + " appears twice");
            }
            if (values[k] < 0 || values[k] > 65_535) {
                return refuse(RejectReason.WEIGHTS_INVALID, "weight " + values[k] + " is not a u16");
            }
        }
        boolean owner = subnet.hotkey(uid).equals(subnet.ownerHotkey);
        boolean selfWeightOnly = uids.length == 1 && uids[0] == uid;
        long threshold = subnet.hyperparameters().stakeThreshold();
        if (!owner && subnet.stakeOf(subnet.hotkey(uid)) < threshold) {
            return refuse(RejectReason.STAKE_BELOW_THRESHOLD, "stake " + Rao.format(subnet.stakeOf(subnet.hotkey(uid)))
                    + " below " + Rao.format(threshold));
        }
        if (!owner && !selfWeightOnly && !subnet.validatorPermit(uid)) {
            return refuse(RejectReason.NO_VALIDATOR_PERMIT, "uid " + uid + " has no validator permit");
        }
        long minimum = Math.min(subnet.size(), subnet.hyperparameters().minAllowedWeights());
        if (!selfWeightOnly && uids.length < minimum) {
            return refuse(RejectReason.WEIGHTS_INVALID, uids.length + " weights, at least " + minimum + " needed");
        }
        return null;
    }

    /** Stores weights sorted by uid and max-upscaled so the largest is 65535 (section 7.1). */
    private static void store(Subnet subnet, int uid, int[] uids, int[] values, long now, boolean touchLastUpdate) {
        Integer[] order = new Integer[uids.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(uids[a], uids[b]));
        int[] sortedUids = new int[uids.length];
        int[] sortedValues = new int[uids.length];
        for (int k = 0; k < order.length; k++) {
            sortedUids[k] = uids[order[k]];
            sortedValues[k] = values[order[k]];
        }
        int[] upscaled = FixedVector.maxUpscaleU16(sortedValues);
        char[] stored = new char[upscaled.length];
        for (int k = 0; k < stored.length; k++) {
            stored[k] = (char) upscaled[k];
        }
        subnet.neurons.setWeights(uid, sortedUids, stored, now, touchLastUpdate);
    }

    // Hyper-parameters: the owner, or the root key for root-only ones and beyond the owner's limits.
    static Refusal setHyperparameter(LedgerState s, Address signer, Transaction.SetHyperparameter t) {
        Subnet subnet = s.subnet(t.netuid());
        if (subnet == null || subnet.isRoot()) {
            return refuse(RejectReason.UNKNOWN_SUBNET, "no subnet " + t.netuid());
        }
        SubnetHyperparameters.Parameter p = SubnetHyperparameters.parameter(t.name());
        if (p == null) {
            return refuse(RejectReason.UNKNOWN_HYPERPARAMETER, t.name() + " (see cortex subnet hyperparameters)");
        }
        boolean root = signer.equals(s.config.rootKey());
        boolean rootNeeded = p.rootOnly()
                || t.name().equals("bonds_moving_average") && t.value() > OWNER_MAX_BONDS_MOVING_AVERAGE;
        if (rootNeeded && !root) {
            return refuse(RejectReason.NOT_ROOT, t.name() + (p.rootOnly() ? " is root-only"
                    : " above " + OWNER_MAX_BONDS_MOVING_AVERAGE + " needs the root key"));
        }
        if (!root && !subnet.ownerColdkey().equals(signer)) {
            return refuse(RejectReason.NOT_OWNER, "netuid " + t.netuid() + " is owned by " + subnet.ownerColdkey());
        }
        String problem = subnet.hyperparameters().problem(t.name(), t.value());
        if (problem == null && t.name().equals("max_allowed_uids") && t.value() < subnet.size()) {
            problem = "max_allowed_uids cannot drop below the " + subnet.size() + " registered uids";
        }
        if (problem != null) {
            return refuse(RejectReason.HYPERPARAMETER_OUT_OF_RANGE, problem);
        }
        subnet.setHyperparameter(t.name(), t.value());
        return null;
    }

    // Delegate take: by the hotkey's owner, at most the default.
    static Refusal setValidatorTake(LedgerState s, Address signer, Transaction.SetValidatorTake t) {
        Address owner = s.ownerOf(t.hotkey());
        if (owner == null) {
            return refuse(RejectReason.UNKNOWN_HOTKEY, t.hotkey() + " was never registered");
        }
        if (!owner.equals(signer)) {
            return refuse(RejectReason.NOT_OWNER, t.hotkey() + " belongs to " + owner);
        }
        if (t.take() < 0 || t.take() > s.config.defaultTake()) {
            return refuse(RejectReason.TAKE_OUT_OF_RANGE, "take " + t.take() + " out of range (0 .. "
                    + s.config.defaultTake() + ")");
        }
        s.validatorTake.put(t.hotkey(), t.take());
        return null;
    }

    /** The dev keys, derived only when a ledger outside dev mode first needs them. */
    private static final class WellKnownKeys {
        static final Set<Address> ALL = derive();

        private static Set<Address> derive() {
            Set<Address> keys = new HashSet<>();
            for (String name : DevKeys.NAMES) {
                keys.add(DevKeys.coldkey(name).address());
                for (int i = 0; i < DevKeys.HOTKEYS_PER_NAME; i++) {
                    keys.add(DevKeys.hotkey(name, i).address());
                }
            }
            return keys;
        }
    }
}
