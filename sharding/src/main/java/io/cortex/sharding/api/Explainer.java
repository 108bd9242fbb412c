package io.cortex.sharding.api;

import io.cortex.ledger.actor.LedgerViews;
import io.cortex.ledger.fixed.SparseMatrix;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.yuma.EpochInput;
import io.cortex.ledger.yuma.EpochJson;
import io.cortex.ledger.yuma.EpochOutput;
import io.cortex.ledger.yuma.EpochTrace;
import io.cortex.ledger.yuma.YumaEpoch;
import io.cortex.protocol.api.ExplainReply;
import io.cortex.protocol.api.WeightLine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code explain}: how one neuron's payout in one epoch follows from the epoch's recorded input. The input is
 * run again with every intermediate kept ({@link YumaEpoch#trace}), the result checked against the recorded
 * output, and the neuron's part read off: its stake share, activity and permit; as a validator its weights,
 * the consensus each miner got and the clipped weights, its trust, bonds and dividends; as a miner its rank
 * and incentive; then the payout in alpha rao, from the recorded pots.
 */
final class Explainer {

    private Explainer() {
    }

    static ExplainReply explain(LedgerViews.EpochView view, int uid) {
        EpochInput input = EpochJson.readInput(view.inputJson());
        if (uid < 0 || uid >= input.n()) {
            throw new IllegalArgumentException("uid " + uid + " out of range: subnet " + view.netuid() + " had "
                    + input.n() + " uids in epoch " + view.epochIndex());
        }
        EpochTrace t = YumaEpoch.trace(input);
        EpochOutput out = t.output();
        boolean matches = Arrays.equals(EpochJson.outputBytes(out), view.outputJson());
        List<String> lines = new ArrayList<>();
        String replay = String.format(Locale.ROOT,
                "./cortex explain --netuid %d --uid %d --epoch %d --save-input epoch-%d-%d.json && "
                        + "./cortex epoch --in epoch-%d-%d.json --out -",
                view.netuid(), uid, view.epochIndex(), view.netuid(), view.epochIndex(), view.netuid(), view.epochIndex());
        lines.add(String.format(Locale.ROOT, "epoch %d of subnet %d at block %d, uid %d of %d", view.epochIndex(),
                view.netuid(), view.block(), uid, input.n()));
        lines.add("input " + view.inputHash() + (matches ? ", replayed: the same output" : ", replayed: A DIFFERENT OUTPUT"));
        double stake = fixed(t.stake()[uid]);
        lines.add(String.format(Locale.ROOT, "stake share S = %.6f; active %s; validator permit %s", stake,
                yes(out.active()[uid]), yes(t.permit()[uid])));

        ExplainReply.Builder b = ExplainReply.newBuilder().setNetuid(view.netuid()).setUid(uid)
                .setEpoch(view.epochIndex()).setBlock(view.block()).setN(input.n()).setStakeShare(stake)
                .setActive(out.active()[uid]).setValidatorPermit(t.permit()[uid]).setReplayMatches(matches)
                .setInputHash(view.inputHash()).setReplayCommand(replay);

        asValidator(t, uid, b, lines);
        asMiner(input, t, uid, b, lines);
        payout(view, input, out, uid, b, lines);
        lines.add("replay: " + replay);
        return b.addAllDerivation(lines).build();
    }

    /** Its weights against consensus, clipped; its validator trust, bonds and dividends. */
    private static void asValidator(EpochTrace t, int uid, ExplainReply.Builder b, List<String> lines) {
        SparseMatrix w = t.weights();
        SparseMatrix clipped = t.clippedWeights();
        if (w.rowEnd(uid) > w.rowStart(uid)) {
            lines.add("as a validator, per miner: weight -> consensus -> clipped weight");
            for (int e = w.rowStart(uid); e < w.rowEnd(uid); e++) {
                int miner = w.column(e);
                double weight = fixed(w.value(e));
                double consensus = fixed(t.consensus()[miner]);
                double clip = fixed(clipped.get(uid, miner));
                b.addWeights(WeightLine.newBuilder().setUid(miner).setWeight(weight).setConsensus(consensus).setClipped(clip));
                lines.add(String.format(Locale.ROOT, "  uid %3d: %.6f -> %.6f -> %.6f", miner, weight, consensus, clip));
            }
        } else {
            lines.add("as a validator: no weights in this epoch");
        }
        double trust = fixed(t.validatorTrust()[uid]);
        double bonds = 0;
        SparseMatrix bondMatrix = t.bonds();
        for (int e = bondMatrix.rowStart(uid); e < bondMatrix.rowEnd(uid); e++) {
            bonds += fixed(bondMatrix.value(e));
        }
        double dividends = fixed(t.dividends()[uid]);
        lines.add(String.format(Locale.ROOT, "  validator trust = sum of clipped weights = %.6f; bonds sum %.6f; "
                + "dividends D = %.6f", trust, bonds, dividends));
        b.setValidatorTrust(trust).setBonds(bonds).setDividends(dividends);
    }

    /** Its rank, from validators' stake and clipped weights, and its incentive. */
    private static void asMiner(EpochInput input, EpochTrace t, int uid, ExplainReply.Builder b, List<String> lines) {
        SparseMatrix clipped = t.clippedWeights();
        double rank = 0;
        for (int v = 0; v < input.n(); v++) {
            rank += fixed(t.stake()[v]) * fixed(clipped.get(v, uid));
        }
        double incentive = fixed(t.incentive()[uid]);
        lines.add(String.format(Locale.ROOT, "as a miner: rank = sum over validators of S x clipped weight = %.6f; "
                + "incentive I = rank / sum of ranks = %.6f", rank, incentive));
        b.setRank(rank).setIncentive(incentive);
    }

    /** What the epoch paid it, as a miner and as a validator, and how. */
    private static void payout(LedgerViews.EpochView view, EpochInput input, EpochOutput out, int uid, ExplainReply.Builder b,
                               List<String> lines) {
        long minerPot = 0;
        for (long s : out.serverEmission()) {
            minerPot += s;
        }
        long minerPaid = view.minerPaid()[uid];
        long weight = out.validatorEmission()[uid];
        long validatorPaid = view.validatorPaid()[uid];
        long total = minerPaid + validatorPaid;
        lines.add("payout, alpha: epoch emission " + Rao.format(input.emission()) + "; to miners by incentive "
                + Rao.format(minerPot) + ", of which this uid " + Rao.format(out.serverEmission()[uid])
                + (minerPaid != out.serverEmission()[uid] ? " (the owner's own incentive is burned: paid 0)" : ""));
        lines.add("  to validators: pot = emission - miners' incentive = " + Rao.format(view.validatorPot())
                + "; this uid's share " + weight + " / " + view.validatorWeightSum() + " -> "
                + Rao.format(validatorPaid) + " (rounded down)");
        lines.add("  total paid to uid " + uid + ": " + Rao.format(total) + " alpha");
        b.setEpochEmission(input.emission()).setMinerPot(minerPot).setMinerPaid(minerPaid)
                .setValidatorPot(view.validatorPot()).setValidatorWeight(weight)
                .setValidatorWeightSum(view.validatorWeightSum()).setValidatorPaid(validatorPaid).setTotalPaid(total);
    }

    private static double fixed(long i32f32) {
        return i32f32 / 4294967296.0;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
