package io.cortex.subnets.validator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.Weighting;
import io.cortex.subnets.compute.ComputeSubnet;
import io.cortex.subnets.price.PriceForecastSubnet;
import io.cortex.subnets.text.TextPredictSubnet;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ValidatorCycleTest {
    private static final long MS = 1_000_000;

    private static ValidatorCycle<String> cycle(SubnetMechanism mechanism, int settleRounds) {
        return new ValidatorCycle<>(mechanism, new ValidatorCycle.Settings(0.2, Weighting.DEFAULT, settleRounds),
                new SplittableRandom(7));
    }

    @Test
    void aCopyOfAnEarlierAnswerScoresNothingAndTheFirstKeepsItsScore() {
        SubnetMechanism text = new TextPredictSubnet();
        ValidatorCycle<String> cycle = cycle(text, 0);
        SubnetMechanism.MinerModel best = text.miner(1.0);
        for (int round = 0; round < 20; round++) {
            cycle.beginRound();
            SubnetMechanism.Task forBest = cycle.task("best");
            SubnetMechanism.Task forRelay = cycle.task("relay");
            assertArrayEquals(forBest.payload(), forRelay.payload(), "every miner answers the round's task");
            byte[] answer = best.answer(forBest.payload(), new SplittableRandom(round)).payload();
            // the relay's copy is answered first (arrival), but 40 ms later: latency decides
            cycle.answer(cycle.round(), "relay", forRelay, answer, 45 * MS);
            cycle.answer(cycle.round(), "best", forBest, answer, 5 * MS);
            cycle.endRound();
        }
        assertTrue(cycle.score("best") > 0.3, "the original keeps its score: " + cycle.score("best"));
        assertEquals(0, cycle.score("relay"), 1e-12);
    }

    @Test
    void validatorsGivenTheSameSeedDrawTheSameRoundTasksAndSaltThemEachTheirOwnWay() {
        long epochSeed = 0x5EEDL;
        for (SubnetMechanism mechanism : List.of(new TextPredictSubnet(), new ComputeSubnet())) {
            ValidatorCycle<String> a = new ValidatorCycle<>(mechanism, ValidatorCycle.Settings.defaults(), new SplittableRandom(1));
            ValidatorCycle<String> b = new ValidatorCycle<>(mechanism, ValidatorCycle.Settings.defaults(), new SplittableRandom(2));
            java.util.Set<String> tasks = new java.util.HashSet<>();
            for (int round = 0; round < 5; round++) {
                a.beginRound(ValidatorCycle.roundSeed(epochSeed, round));
                b.beginRound(ValidatorCycle.roundSeed(epochSeed, round));
                SubnetMechanism.Task fromA = a.task("miner");
                SubnetMechanism.Task fromB = b.task("miner");
                if (mechanism instanceof ComputeSubnet) {
                    // the same numbers under each validator's own salt: a miner's answer to one is no use to the other
                    assertFalse(Arrays.equals(fromA.expected(), fromB.expected()));
                    assertArrayEquals(Arrays.copyOf(fromA.payload(), 8), Arrays.copyOf(fromB.payload(), 8), "same modulus");
                    tasks.add(Arrays.toString(Arrays.copyOf(fromA.payload(), 8)));
                } else {
                    assertArrayEquals(fromA.payload(), fromB.payload(), "round " + round);
                    tasks.add(Arrays.toString(fromA.payload()));
                }
                a.endRound();
                b.endRound();
            }
            assertEquals(5, tasks.size(), mechanism.name() + ": each round its own task");
        }
        assertFalse(ValidatorCycle.roundSeed(1, 0) == ValidatorCycle.roundSeed(2, 0));
        assertFalse(ValidatorCycle.roundSeed(1, 0) == ValidatorCycle.roundSeed(1, 1));
    }

    @Test
    void leaveOneOutScoresAMinerByWhatTheCombinedAnswerLosesWithoutIt() {
        TextPredictSubnet text = new TextPredictSubnet();
        ValidatorCycle<String> cycle = cycle(text, 0);
        cycle.leaveOneOut(true);
        SubnetMechanism.MinerModel best = text.miner(1.0);
        SubnetMechanism.MinerModel middling = text.miner(0.5);
        SubnetMechanism.MinerModel uniform = (task, random) -> {
            byte[] flat = best.answer(task, random).payload().clone();
            for (int i = 0; i < flat.length; i += 2) { // u16 weights, all equal: a uniform guess
                flat[i] = 0;
                flat[i + 1] = 1;
            }
            return new SubnetMechanism.Answer(flat, 1);
        };
        for (int round = 0; round < 200; round++) {
            cycle.beginRound(ValidatorCycle.roundSeed(9, round));
            for (var m : List.of(java.util.Map.entry("best", best), java.util.Map.entry("middling", middling),
                    java.util.Map.entry("uniform", uniform))) {
                SubnetMechanism.Task t = cycle.task(m.getKey());
                cycle.answer(cycle.round(), m.getKey(), t, m.getValue().answer(t.payload(), new SplittableRandom(round)).payload(), MS);
            }
            SubnetMechanism.Task t = cycle.task("copy");
            cycle.answer(cycle.round(), "copy", t, best.answer(t.payload(), new SplittableRandom(round)).payload(), 50 * MS);
            cycle.endRound();
        }
        assertTrue(cycle.score("best") > cycle.score("middling"), cycle.score("best") + " vs " + cycle.score("middling"));
        assertTrue(cycle.score("middling") > cycle.score("uniform"), cycle.score("middling") + " vs " + cycle.score("uniform"));
        assertEquals(0, cycle.score("copy"), 1e-12, "a copy is left out of the combination and scores 0");
    }

    @Test
    void leaveOneOutFallsBackToEachAnswerWhereTasksAreSaltedPerMiner() {
        ComputeSubnet compute = new ComputeSubnet();
        ValidatorCycle<String> plain = cycle(compute, 0);
        ValidatorCycle<String> oneOut = cycle(compute, 0);
        oneOut.leaveOneOut(true);
        for (int round = 0; round < 20; round++) {
            for (ValidatorCycle<String> c : List.of(plain, oneOut)) {
                c.beginRound(ValidatorCycle.roundSeed(3, round));
                for (String miner : List.of("a", "b")) {
                    SubnetMechanism.Task t = c.task(miner);
                    c.answer(c.round(), miner, t, compute.miner(miner.equals("a") ? 1.0 : 0.5)
                            .answer(t.payload(), new SplittableRandom(round)).payload(), 20 * MS);
                }
                c.endRound();
            }
        }
        assertEquals(plain.score("a"), oneOut.score("a"), 1e-12);
        assertEquals(plain.score("b"), oneOut.score("b"), 1e-12);
        assertEquals(plain.baselineScore(), oneOut.baselineScore(), 1e-12);
    }

    @Test
    void onComputeEachMinersTaskIsSaltedSoARelayedAnswerIsWrong() {
        ComputeSubnet compute = new ComputeSubnet();
        ValidatorCycle<String> cycle = cycle(compute, 0);
        for (int round = 0; round < 20; round++) {
            cycle.beginRound();
            SubnetMechanism.Task forBest = cycle.task("best");
            SubnetMechanism.Task forRelay = cycle.task("relay");
            SubnetMechanism.Task forHonest = cycle.task("honest");
            assertFalse(Arrays.equals(forBest.expected(), forRelay.expected()), "right answers differ per miner");
            byte[] bestAnswer = compute.miner(1.0).answer(forBest.payload(), new SplittableRandom(1)).payload();
            byte[] honestAnswer = compute.miner(1.0).answer(forHonest.payload(), new SplittableRandom(1)).payload();
            cycle.answer(cycle.round(), "best", forBest, bestAnswer, 10 * MS);
            cycle.answer(cycle.round(), "relay", forRelay, bestAnswer, 50 * MS);
            cycle.answer(cycle.round(), "honest", forHonest, honestAnswer, 60 * MS);
            cycle.endRound();
        }
        assertEquals(0, cycle.score("relay"), 1e-12);
        assertTrue(cycle.score("honest") > 0.8, "a right answer of one's own scores by speed: " + cycle.score("honest"));
        assertTrue(cycle.score("best") > cycle.score("honest"));
    }

    @Test
    void answersWaitForTheirRoundToSettleAndForTheirTruth() {
        ValidatorCycle<String> cycle = cycle(new PriceForecastSubnet(), 1);
        cycle.beginRound();
        SubnetMechanism.Task task = cycle.task("m");
        byte[] answer = new PriceForecastSubnet().miner(1.0).answer(task.payload(), new SplittableRandom(1)).payload();
        cycle.endRound();
        cycle.answer(1, "m", task, answer, 3 * MS); // arrives after its round ended: still counted
        cycle.beginRound();
        cycle.endRound();
        assertTrue(Double.isNaN(cycle.score("m")), "the truth is known " + PriceForecastSubnet.TRUTH_DELAY_ROUNDS + " rounds later");
        cycle.beginRound();
        assertTrue(cycle.score("m") > 0, "scored once the truth is known");
        cycle.endRound();

        cycle.answer(1, "late", task, answer, 3 * MS); // its round was scored: as if it had timed out
        assertEquals(0, cycle.score("late"), 1e-12);
    }

    @Test
    void aTinyWeightIsKeptAsOneAndZeroIsLeftOut() {
        ValidatorCycle.Weights w = ValidatorCycle.Weights.quantize(new double[] {1, 1e-9, 0, 0.5});
        assertArrayEquals(new int[] {0, 1, 3}, w.uids());
        assertArrayEquals(new int[] {65_535, 1, 32_768}, w.values());
        assertNull(ValidatorCycle.Weights.quantize(new double[] {0, 0}));
    }

    @Test
    void weightsAreSetOrCommittedAndRevealedAfterTheRevealPeriod() {
        ValidatorCycle<String> cycle = cycle(new ComputeSubnet(), 0);
        ValidatorCycle.Weights first = ValidatorCycle.Weights.quantize(new double[] {0, 1});
        ValidatorCycle.Weights second = ValidatorCycle.Weights.quantize(new double[] {0, 0.5, 1});

        assertInstanceOf(ValidatorCycle.SetWeights.class, cycle.epoch(4, false, 2, first).get(0));

        List<ValidatorCycle.WeightsAction> at10 = cycle.epoch(10, true, 2, first);
        assertEquals(1, at10.size());
        ValidatorCycle.CommitWeights commit = assertInstanceOf(ValidatorCycle.CommitWeights.class, at10.get(0));
        assertEquals(List.of(), cycle.epoch(11, true, 2, second), "nothing while the commit waits");
        List<ValidatorCycle.WeightsAction> at12 = cycle.epoch(12, true, 2, second);
        ValidatorCycle.RevealWeights reveal = assertInstanceOf(ValidatorCycle.RevealWeights.class, at12.get(0));
        assertEquals(first, reveal.weights());
        assertArrayEquals(commit.salt(), reveal.salt());
        assertEquals(second, assertInstanceOf(ValidatorCycle.CommitWeights.class, at12.get(1)).weights());
    }

    @Test
    void weightsAreTheMarginOverTheBaselineSquaredAndLeaveOutTheValidatorItself() {
        ComputeSubnet compute = new ComputeSubnet();
        ValidatorCycle<String> cycle = cycle(compute, 0);
        for (int round = 0; round < 30; round++) {
            cycle.beginRound();
            for (String m : List.of("fast", "slow", "self")) {
                SubnetMechanism.Task t = cycle.task(m);
                byte[] a = compute.miner(1.0).answer(t.payload(), new SplittableRandom(round)).payload();
                cycle.answer(cycle.round(), m, t, a, (m.equals("fast") ? 10 : 200) * MS);
            }
            cycle.endRound();
        }
        // the baseline is right in 300 ms: 0.25; fast scores 0.975, slow 0.5
        ValidatorCycle.Weights w = cycle.weights(Arrays.asList("fast", null, "slow", "self"), "self");
        assertArrayEquals(new int[] {0, 2}, w.uids());
        assertEquals(65_535, w.values()[0]);
        double expected = Math.pow((0.5 - 0.25) / (0.975 - 0.25), 2) * 65_535;
        assertEquals(expected, w.values()[1], 65_535 * 0.02);
    }
}
