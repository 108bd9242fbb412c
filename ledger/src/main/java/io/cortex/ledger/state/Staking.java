package io.cortex.ledger.state;

import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.pool.WeightedPool;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.Address;

/**
 * Stake and unstake through a subnet's pool (yuma.md section 6): TAO is swapped to alpha, which joins the
 * hotkey's nominator pool; unstaking swaps back. The swap fee goes to the block author. The root subnet
 * swaps 1:1. A limit price refuses a swap that would move the price past it.
 */
final class Staking {
    private Staking() {
    }

    /** A stake move's common checks: a hotkey that can be staked on ({@link #target}), and a positive amount. */
    private static Refusal positiveOnTarget(LedgerState s, Subnet subnet, int netuid, Address hotkey, long amount) {
        Refusal r = target(s, subnet, netuid, hotkey);
        if (r != null) {
            return r;
        }
        return amount <= 0 ? new Refusal(RejectReason.INVALID_AMOUNT, "amount must be positive, got " + amount) : null;
    }

    static Refusal add(LedgerState s, Address coldkey, Transaction.AddStake t) {
        Subnet subnet = s.subnet(t.netuid());
        Refusal r = positiveOnTarget(s, subnet, t.netuid(), t.hotkey(), t.amount());
        if (r != null) {
            return r;
        }
        if (s.balance(coldkey) < t.amount()) {
            return Transactions.insufficient(s, coldkey, t.amount());
        }
        if (subnet.isRoot()) {
            s.debit(coldkey, t.amount());
            subnet.pool.rootStake(t.amount());
            subnet.stakeBook(t.hotkey()).deposit(coldkey, t.amount());
            return null;
        }
        long fee = WeightedPool.fee(t.amount(), subnet.hyperparameters().swapFee());
        long net = t.amount() - fee;
        long alpha = subnet.pool.alphaOut(net);
        if (alpha < 0) {
            return new Refusal(RejectReason.POOL_LIMIT, "the pool of netuid " + t.netuid() + " cannot take "
                    + Rao.format(net) + " TAO");
        }
        if (alpha == 0) {
            return new Refusal(RejectReason.INVALID_AMOUNT, Rao.format(t.amount()) + " TAO buys no alpha");
        }
        long after = subnet.pool.priceRaoAfter(net, -alpha);
        if (t.limitPrice() > 0 && after > t.limitPrice()) {
            return new Refusal(RejectReason.PRICE_LIMIT_EXCEEDED, "price would rise to " + Rao.format(after)
                    + " TAO per alpha, limit " + Rao.format(t.limitPrice()));
        }
        s.debit(coldkey, t.amount());
        s.credit(s.config.author(), fee);
        subnet.pool.stake(net, alpha);
        subnet.stakeBook(t.hotkey()).deposit(coldkey, alpha);
        return null;
    }

    static Refusal remove(LedgerState s, Address coldkey, Transaction.RemoveStake t) {
        Subnet subnet = s.subnet(t.netuid());
        Refusal r = positiveOnTarget(s, subnet, t.netuid(), t.hotkey(), t.amount());
        if (r != null) {
            return r;
        }
        HotkeyStake book = subnet.stakeBookOrNull(t.hotkey());
        long held = book == null ? 0 : book.valueOf(coldkey);
        if (held < t.amount()) {
            return new Refusal(RejectReason.INSUFFICIENT_STAKE, "staked " + Rao.format(held) + " on "
                    + t.hotkey().shortForm() + ", asked " + Rao.format(t.amount()));
        }
        if (subnet.isRoot()) {
            book.withdraw(coldkey, t.amount());
            subnet.pool.rootUnstake(t.amount());
            s.credit(coldkey, t.amount());
            subnet.dropEmptyStake(t.hotkey());
            return null;
        }
        long tao = subnet.pool.taoOut(t.amount());
        if (tao < 0) {
            return new Refusal(RejectReason.POOL_LIMIT, "the pool of netuid " + t.netuid() + " cannot take "
                    + Rao.format(t.amount()) + " alpha");
        }
        long after = subnet.pool.priceRaoAfter(-tao, t.amount());
        if (t.limitPrice() > 0 && after < t.limitPrice()) {
            return new Refusal(RejectReason.PRICE_LIMIT_EXCEEDED, "price would fall to " + Rao.format(after)
                    + " TAO per alpha, limit " + Rao.format(t.limitPrice()));
        }
        long fee = WeightedPool.fee(tao, subnet.hyperparameters().swapFee());
        book.withdraw(coldkey, t.amount());
        subnet.pool.unstake(t.amount(), tao);
        s.credit(coldkey, tao - fee);
        s.credit(s.config.author(), fee);
        subnet.dropEmptyStake(t.hotkey());
        return null;
    }

    /**
     * A user's payment for the subnet's service: the TAO buys alpha from the pool, fee-free like a registration
     * burn, and the alpha is burned. It counts as the subnet's demand and, like a burn, as TAO flowing in.
     */
    static Refusal pay(LedgerState s, Address coldkey, Transaction.PaySubnet t) {
        Subnet subnet = s.subnet(t.netuid());
        if (subnet == null || subnet.isRoot()) {
            return new Refusal(RejectReason.UNKNOWN_SUBNET, "no subnet " + t.netuid() + " to pay");
        }
        if (!subnet.started()) {
            return new Refusal(RejectReason.SUBNET_NOT_STARTED, "netuid " + t.netuid() + " has not started");
        }
        if (t.amount() <= 0) {
            return new Refusal(RejectReason.INVALID_AMOUNT, "amount must be positive, got " + t.amount());
        }
        if (s.balance(coldkey) < t.amount()) {
            return Transactions.insufficient(s, coldkey, t.amount());
        }
        long alpha = subnet.pool.alphaOut(t.amount());
        if (alpha < 0) {
            return new Refusal(RejectReason.POOL_LIMIT, "the pool of netuid " + t.netuid() + " cannot take "
                    + Rao.format(t.amount()) + " TAO");
        }
        s.debit(coldkey, t.amount());
        subnet.pool.buyAndBurn(t.amount(), alpha);
        subnet.pool.demanded(t.amount());
        return null;
    }

    /** The subnet exists (and has started, unless root) and the hotkey can take stake there. */
    private static Refusal target(LedgerState s, Subnet subnet, int netuid, Address hotkey) {
        if (subnet == null) {
            return new Refusal(RejectReason.UNKNOWN_SUBNET, "no subnet " + netuid);
        }
        if (subnet.isRoot()) {
            return s.ownerOf(hotkey) == null
                    ? new Refusal(RejectReason.UNKNOWN_HOTKEY, hotkey + " was never registered") : null;
        }
        if (!subnet.started()) {
            return new Refusal(RejectReason.SUBNET_NOT_STARTED, "netuid " + netuid + " has not started");
        }
        if (subnet.uidOf(hotkey) < 0 && subnet.stakeOf(hotkey) == 0) {
            return new Refusal(RejectReason.UNKNOWN_HOTKEY, hotkey + " is not registered on netuid " + netuid);
        }
        return null;
    }
}
