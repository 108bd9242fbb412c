package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.pool.WeightedPool;

/**
 * A subnet's pool (yuma.md section 6) and its alpha accounting: the TAO and alpha reserves and the pool's
 * weight, the alpha minted, burned and held by the protocol, the moving price, the share of miner incentive
 * burned, and the averages of TAO flow and demand with this block's figures. Every change to them is a
 * method here, so the accounting {@link Conservation} checks is kept in one place; {@link Subnet} reads the
 * fields for its own getters (no other class writes them: {@code ArchitectureTest}).
 */
final class SubnetPool {
    long taoReserve;
    long alphaReserve;
    double taoWeight = 0.5;
    long protocolAlpha;
    long alphaMinted;
    long alphaBurned;
    double movingPrice;
    double minerBurned;
    /** Net TAO staked per block: stake in and registration burns, less stake out. */
    BlockAverage taoFlow = BlockAverage.ZERO;
    /** The TAO users paid the subnet per block. */
    BlockAverage demand = BlockAverage.ZERO;

    SubnetPool copy() {
        SubnetPool c = new SubnetPool();
        c.taoReserve = taoReserve;
        c.alphaReserve = alphaReserve;
        c.taoWeight = taoWeight;
        c.protocolAlpha = protocolAlpha;
        c.alphaMinted = alphaMinted;
        c.alphaBurned = alphaBurned;
        c.movingPrice = movingPrice;
        c.minerBurned = minerBurned;
        c.taoFlow = taoFlow;
        c.demand = demand;
        return c;
    }

    void write(Canonical c) {
        c.i64(taoReserve).i64(alphaReserve).f64(taoWeight).i64(protocolAlpha).i64(alphaMinted)
                .i64(alphaBurned).f64(movingPrice).f64(minerBurned);
        taoFlow.write(c);
        demand.write(c);
    }

    static SubnetPool read(StateReader r) {
        SubnetPool p = new SubnetPool();
        p.taoReserve = r.i64();
        p.alphaReserve = r.i64();
        p.taoWeight = r.f64();
        p.protocolAlpha = r.i64();
        p.alphaMinted = r.i64();
        p.alphaBurned = r.i64();
        p.movingPrice = r.f64();
        p.minerBurned = r.f64();
        p.taoFlow = BlockAverage.read(r);
        p.demand = BlockAverage.read(r);
        return p;
    }

    // ------------------------------------------------------------------------------------ the pool's maths

    /** Alpha the pool gives for this much TAO, or a negative number when it cannot take it. */
    long alphaOut(long tao) {
        return WeightedPool.alphaOut(taoReserve, alphaReserve, taoWeight, tao);
    }

    /** TAO the pool gives for this much alpha, or a negative number when it cannot take it. */
    long taoOut(long alpha) {
        return WeightedPool.taoOut(taoReserve, alphaReserve, taoWeight, alpha);
    }

    /** The price, rao per alpha, after the reserves change by these amounts. */
    long priceRaoAfter(long taoChange, long alphaChange) {
        return WeightedPool.priceRao(taoReserve + taoChange, alphaReserve + alphaChange, taoWeight);
    }

    /** The weight that keeps the price when both reserves grow by these amounts (NaN when none does). */
    double reweighted(long taoIn, long alphaIn) {
        return WeightedPool.reweighted(taoReserve, alphaReserve, taoWeight, taoIn, alphaIn);
    }

    double price() {
        return WeightedPool.price(taoReserve, alphaReserve, taoWeight);
    }

    // ------------------------------------------------------------------------------------------- changes

    /** A new subnet's pool: the owner's locked TAO against freshly minted alpha. */
    void open(long tao, long alpha) {
        taoReserve = tao;
        alphaReserve = alpha;
        alphaMinted = alpha;
    }

    /** Block emission's injection: both reserves grow, the pool re-weighted so that the price holds. */
    void inject(long taoIn, long alphaIn, double weight) {
        taoReserve += taoIn;
        alphaReserve += alphaIn;
        alphaMinted += alphaIn;
        taoWeight = weight;
    }

    /** The chain's fee-free buy with emission the pool could not take as injection: the protocol holds the alpha. */
    void protocolBuy(long tao, long alpha) {
        taoReserve += tao;
        alphaReserve -= alpha;
        protocolAlpha += alpha;
    }

    /** Alpha emitted into the subnet's pending buckets (they hold it until the epoch pays it out). */
    void mint(long alpha) {
        alphaMinted += alpha;
    }

    /** Alpha that leaves circulation: root dividends, the owner's own incentive, rounding dust. */
    void burn(long alpha) {
        alphaBurned += alpha;
    }

    /** A stake: TAO in (net of the fee), alpha out to the staker. It counts as this block's TAO flow. */
    void stake(long tao, long alpha) {
        taoReserve += tao;
        alphaReserve -= alpha;
        taoFlow = taoFlow.plus(tao);
    }

    /** An unstake: alpha back in, TAO out. It counts against this block's TAO flow. */
    void unstake(long alpha, long tao) {
        alphaReserve += alpha;
        taoReserve -= tao;
        taoFlow = taoFlow.plus(-tao);
    }

    /** Root's 1:1 stake: TAO in, the same amount of root alpha minted for the staker. */
    void rootStake(long tao) {
        taoReserve += tao;
        alphaMinted += tao;
    }

    /** Root's 1:1 unstake. */
    void rootUnstake(long tao) {
        taoReserve -= tao;
        alphaBurned += tao;
    }

    /**
     * A registration burn or a user's payment: the TAO buys alpha from the pool, fee-free, and the alpha is
     * burned. It counts as TAO flowing in.
     */
    void buyAndBurn(long tao, long alpha) {
        taoReserve += tao;
        alphaReserve -= alpha;
        alphaBurned += alpha;
        taoFlow = taoFlow.plus(tao);
    }

    /** TAO users paid for the subnet's service this block. */
    void demanded(long tao) {
        demand = demand.plus(tao);
    }

    /** The end of a block: this block's TAO flow joins the average, which keeps {@code keep} of itself. */
    void settleFlow(double keep) {
        taoFlow = taoFlow.settled(keep);
    }

    /** As {@link #settleFlow}, for demand. */
    void settleDemand(double keep) {
        demand = demand.settled(keep);
    }

    /** Section 5.7: {@code p <- a min(P, 1) + (1 - a) p}. */
    void updateMovingPrice(double alpha, double price) {
        movingPrice = alpha * Math.min(price, 1.0) + (1 - alpha) * movingPrice;
    }

    /** The share of the last epoch's miner incentive that went to the owner's own hotkeys and was burned. */
    void recordMinerBurned(double share) {
        minerBurned = share;
    }
}
