package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;
import java.util.List;

/** The canonical encoding of a subnet inside the state hash: every field, maps in key order. */
final class SubnetEncoding {
    private SubnetEncoding() {
    }

    static void write(Canonical c, Subnet s) {
        c.i32(s.netuid).address(s.ownerColdkey).address(s.ownerHotkey).i64(s.createdAt).i64(s.firstEmissionBlock)
                .i64(s.lockCost);
        c.i32(s.hyper.values().size());
        s.hyper.values().forEach((k, v) -> c.string(k).i64(v));
        c.i64(s.taoReserve).i64(s.alphaReserve).f64(s.taoWeight).i64(s.protocolAlpha).i64(s.alphaMinted)
                .i64(s.alphaBurned).f64(s.movingPrice).f64(s.minerBurned).f64(s.netTaoFlow).i64(s.blockTaoFlow);
        c.f64(s.demand).i64(s.blockDemand);
        c.i64(s.pendingServer).i64(s.pendingValidator).i64(s.pendingOwnerCut);
        c.i64(s.lastEpochBlock).i64(s.lastMechanismStepBlock).i64(s.epochIndex).i64(s.burn);
        c.i32(s.n);
        for (int uid = 0; uid < s.n; uid++) {
            c.address(s.hotkey[uid]).i64(s.registeredAt[uid]).i64(s.lastUpdate[uid]).bool(s.permit[uid])
                    .string(s.axon[uid]).i64(s.emission[uid]).i32(s.incentive[uid]).i32(s.dividends[uid])
                    .i32(s.consensus[uid]).i32(s.validatorTrust[uid]).i32(s.stakeWeight[uid]).bool(s.active[uid]);
            int[] uids = s.weightUids[uid];
            c.i32(uids == null ? -1 : uids.length);
            if (uids != null) {
                for (int k = 0; k < uids.length; k++) {
                    c.i32(uids[k]).i32(s.weightValues[uid][k]);
                }
            }
        }
        c.i32(s.bonds.rows()).i32(s.bonds.nonZeros());
        for (int i = 0; i < s.bonds.rows(); i++) {
            c.i32(s.bonds.rowEnd(i) - s.bonds.rowStart(i));
            for (int k = s.bonds.rowStart(i); k < s.bonds.rowEnd(i); k++) {
                c.i32(s.bonds.column(k)).i32(s.bonds.value(k));
            }
        }
        c.i32(s.stake.size());
        s.stake.forEach((hotkey, book) -> {
            c.address(hotkey).i64(book.alpha()).i64(book.totalShares()).i32(book.shares().size());
            book.shares().forEach((coldkey, shares) -> c.address(coldkey).i64(shares));
        });
        c.i32(s.commits.size());
        s.commits.forEach((hotkey, list) -> {
            c.address(hotkey).i32(list.size());
            for (Subnet.Commit commit : list) {
                c.bytes(commit.hash()).i64(commit.epoch()).i64(commit.block());
            }
        });
    }

    static List<String> fieldNames() {
        return List.of("netuid", "owner", "hyper", "pool", "buckets", "clock", "neurons", "bonds", "stake", "commits");
    }
}
