package io.cortex.ledger.state;

import io.cortex.ledger.fixed.Rao;
import io.cortex.core.identity.Address;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alpha staked on one hotkey in one subnet, owned by nominators through shares (yuma.md section 6,
 * "nominator shares"). Dividends added to the pool raise every share's value; a stake or unstake mints or
 * burns shares at the current value, rounding in the pool's favour.
 */
public final class HotkeyStake {
    private long alpha;
    private long totalShares;
    private final TreeMap<Address, Long> shares;

    public HotkeyStake() {
        this(0, 0, new TreeMap<>());
    }

    /** A stake read back from a snapshot. */
    static HotkeyStake restore(long alpha, long totalShares, TreeMap<Address, Long> shares) {
        return new HotkeyStake(alpha, totalShares, shares);
    }

    private HotkeyStake(long alpha, long totalShares, TreeMap<Address, Long> shares) {
        this.alpha = alpha;
        this.totalShares = totalShares;
        this.shares = shares;
    }

    HotkeyStake copy() {
        return new HotkeyStake(alpha, totalShares, new TreeMap<>(shares));
    }

    /** All alpha on the hotkey: its stake in the epoch. */
    public long alpha() {
        return alpha;
    }

    public long totalShares() {
        return totalShares;
    }

    /** Nominators and their shares, sorted. */
    public Map<Address, Long> shares() {
        return Collections.unmodifiableMap(shares);
    }

    /** The alpha a coldkey's shares are worth. */
    public long valueOf(Address coldkey) {
        long s = shares.getOrDefault(coldkey, 0L);
        return s == 0 || totalShares == 0 ? 0 : Rao.mulDiv(s, alpha, totalShares);
    }

    /** Adds alpha owned by {@code coldkey}, minting shares at the current value. */
    void deposit(Address coldkey, long amount) {
        if (amount <= 0) {
            return;
        }
        if (alpha == 0 || totalShares == 0) {
            // an empty pool starts over at one share per rao; shares worth nothing are cleared
            shares.clear();
            totalShares = 0;
        }
        long minted = totalShares == 0 ? amount : Rao.mulDiv(amount, totalShares, alpha);
        alpha += amount;
        totalShares += minted;
        shares.merge(coldkey, minted, Long::sum);
    }

    /**
     * Removes {@code amount} alpha of {@code coldkey}'s, burning the shares it is worth rounded up; the
     * caller checked {@code amount <= valueOf(coldkey)}.
     */
    void withdraw(Address coldkey, long amount) {
        long held = shares.getOrDefault(coldkey, 0L);
        long burned = Math.min(held, Rao.mulDivUp(amount, totalShares, alpha));
        alpha -= amount;
        totalShares -= burned;
        if (held == burned) {
            shares.remove(coldkey);
        } else {
            shares.put(coldkey, held - burned);
        }
    }

    /** Adds alpha to the pool without minting shares: every nominator gains pro rata. */
    void reward(long amount) {
        alpha += amount;
    }

    public boolean isEmpty() {
        return alpha == 0 && totalShares == 0;
    }
}
