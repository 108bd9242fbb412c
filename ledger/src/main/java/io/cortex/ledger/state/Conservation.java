package io.cortex.ledger.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The invariant of ARCHITECTURE.md section 6: nothing is created or lost. For TAO, issuance equals free
 * balances plus what the pools hold (stake is held as pool TAO; recycled TAO was never minted). For each
 * subnet's alpha, what was minted less what was burned equals the pool reserve, the stakes, the pending
 * emission and the protocol's alpha. Exact integers, checked after every block in tests.
 */
public final class Conservation {
    private Conservation() {
    }

    /** Every broken identity, as a readable line; empty when the state conserves. */
    public static List<String> violations(LedgerState s) {
        List<String> problems = new ArrayList<>();
        long balances = 0;
        for (var e : s.balances.entrySet()) {
            if (e.getValue() < 0) {
                problems.add("negative balance " + e.getValue() + " for " + e.getKey());
            }
            balances += e.getValue();
        }
        long reserves = 0;
        for (Subnet subnet : s.subnets.values()) {
            reserves += subnet.taoReserve();
            long stakes = 0;
            for (HotkeyStake book : subnet.stakes().values()) {
                if (book.alpha() < 0 || book.totalShares() < 0) {
                    problems.add("netuid " + subnet.netuid + ": negative stake pool");
                }
                stakes += book.alpha();
            }
            long held = subnet.alphaReserve() + stakes + subnet.pendingEmission() + subnet.protocolAlpha();
            long issued = subnet.alphaMinted() - subnet.alphaBurned();
            if (held != issued) {
                problems.add("netuid " + subnet.netuid + ": alpha minted - burned = " + issued + " but reserve "
                        + subnet.alphaReserve() + " + stakes " + stakes + " + pending " + subnet.pendingEmission()
                        + " + protocol " + subnet.protocolAlpha() + " = " + held);
            }
            if (subnet.taoReserve() < 0 || subnet.alphaReserve() < 0 || subnet.pendingEmission() < 0) {
                problems.add("netuid " + subnet.netuid + ": negative reserve or pending emission");
            }
            if (subnet.isRoot() && subnet.taoReserve() != stakes) {
                problems.add("root: TAO reserve " + subnet.taoReserve() + " but root stakes " + stakes);
            }
        }
        if (s.totalIssuance != balances + reserves) {
            problems.add("TAO issuance " + s.totalIssuance + " but balances " + balances + " + pool reserves "
                    + reserves + " = " + (balances + reserves));
        }
        return problems;
    }
}
