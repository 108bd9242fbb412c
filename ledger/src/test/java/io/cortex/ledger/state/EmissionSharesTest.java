package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.emission.BlockEmission;
import io.cortex.ledger.emission.EmissionPolicy;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.DevKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the ledger says of each subnet's share of the next block ({@link LedgerState#emissionShares}, which the
 * API, the CLI and the dashboard show): the shares the next block mints by, and the policy's reason for each.
 */
class EmissionSharesTest {

    /** Subnets 1 and 2 started, subnet 3 created only. */
    private static LedgerFixture threeSubnets(EmissionPolicy policy) {
        LedgerFixture f = new LedgerFixture(LedgerConfig.devnet().withEmissionPolicy(policy).withLockReductionInterval(1));
        f.ok(DevKeys.coldkey("alice"), new Transaction.CreateSubnet(DevKeys.hotkey("alice", 0).address()));
        f.ok(DevKeys.coldkey("bob"), new Transaction.CreateSubnet(DevKeys.hotkey("bob", 0).address()));
        f.ok(DevKeys.coldkey("charlie"), new Transaction.CreateSubnet(DevKeys.hotkey("charlie", 0).address()));
        f.ok(DevKeys.coldkey("alice"), new Transaction.StartSubnet(1));
        f.ok(DevKeys.coldkey("bob"), new Transaction.StartSubnet(2));
        return f;
    }

    @Test
    void theNextBlockMintsByTheSharesTheLedgerShows() {
        LedgerFixture f = threeSubnets(EmissionPolicy.named("equal"));
        for (int block = 0; block < 5; block++) {
            Map<Integer, EmissionShare> shares = f.state.emissionShares();
            long emission = BlockEmission.of(f.state.totalIssuance());
            BlockResult next = f.block(List.of());
            for (int netuid : List.of(1, 2)) {
                assertEquals(0.5, shares.get(netuid).share(), 1e-12);
                assertEquals("an equal share of 2 emitting subnets: 50.00 %", shares.get(netuid).reason());
                // the pool takes at most the share; what the root proportion caps is recycled
                long in = next.taoIn().getOrDefault(netuid, 0L);
                assertTrue(in > 0 && in <= (long) Math.floor(emission * 0.5), "subnet " + netuid + " got " + in);
            }
            assertEquals(0, shares.get(3).share());
            assertEquals("not emitting: not started yet", shares.get(3).reason());
            assertEquals(0L, next.taoIn().getOrDefault(3, 0L));
        }
    }

    @Test
    void thePriceEmaReasonNamesTheMovingPriceItWeighs() {
        LedgerFixture f = threeSubnets(EmissionPolicy.named("price-ema"));
        f.block(List.of());
        Map<Integer, EmissionShare> shares = f.state.emissionShares();
        double sum = 0;
        for (int netuid : List.of(1, 2)) {
            EmissionShare s = shares.get(netuid);
            assertTrue(s.share() > 0, s.toString());
            assertTrue(s.reason().startsWith("moving price " + new java.math.BigDecimal(s.movingPrice())
                    .round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString() + " x (1 - 0.00 burned) of "),
                    s.reason());
            assertTrue(s.reason().endsWith(String.format(java.util.Locale.ROOT, "over 2 subnets: %.2f %%", 100 * s.share())),
                    s.reason());
            sum += s.share();
        }
        assertEquals(1, sum, 1e-9);
    }

    @Test
    void everyBuiltInPolicyGivesAReasonEndingInItsShare() {
        List<EmissionPolicy.SubnetSignal> signals = List.of(new EmissionPolicy.SubnetSignal(1, 0.5, 0.1, 10, 0.3),
                new EmissionPolicy.SubnetSignal(2, 0.3, 0, -5, 0.9), new EmissionPolicy.SubnetSignal(3, 0.2, 0, 0, 0));
        for (EmissionPolicy p : EmissionPolicy.builtIn()) {
            double[] shares = Coinbase.checked(p, signals);
            for (int i = 0; i < shares.length; i++) {
                String reason = p.reason(signals, shares, i);
                assertTrue(reason.endsWith(String.format(java.util.Locale.ROOT, ": %.2f %%", 100 * shares[i])),
                        p.name() + " subnet " + (i + 1) + ": " + reason);
            }
        }
    }
}
