package io.cortex.ledger.emission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The block emission table of yuma.md section 5.1 and the three built-in split policies. */
class BlockEmissionTest {
    private static final long TAO = 1_000_000_000L;

    @ParameterizedTest(name = "issuance {0} TAO -> {1} rao per block")
    @CsvSource({
        "0, 1000000000",
        "10499999.999999999, 1000000000",
        "10500000, 500000000",
        "15749999, 500000000",
        "15750000, 250000000",
        "18375000, 125000000",
        "19687500, 62500000",
        "20999999.999999999, 0",
        "21000000, 0",
        "30000000, 0"
    })
    void emissionHalvesAsIssuanceCrossesEachHalfOfWhatIsLeft(String issuanceTao, long expected) {
        long issuance = new java.math.BigDecimal(issuanceTao).movePointRight(9).longValueExact();
        assertEquals(expected, BlockEmission.of(issuance));
    }

    @Test
    void justBelowAHalvingThresholdTheEmissionIsTheHigherStep() {
        // k = floor(log2(1 / (1 - I / S))): 1 - I/S just above 1/4 still gives k = 1
        long quarterLeft = BlockEmission.SUPPLY / 4;
        assertEquals(250_000_000L, BlockEmission.of(BlockEmission.SUPPLY - quarterLeft));
        assertEquals(500_000_000L, BlockEmission.of(BlockEmission.SUPPLY - quarterLeft - 1));
    }

    @Test
    void priceEmaSharesFollowMovingPriceLessWhatWasBurnedToTheOwner() {
        List<EmissionPolicy.SubnetSignal> subnets = List.of(
                new EmissionPolicy.SubnetSignal(1, 0.02, 0.0, 0),
                new EmissionPolicy.SubnetSignal(2, 0.06, 0.5, 0),
                new EmissionPolicy.SubnetSignal(3, 0.01, 0.0, 0));
        assertArrayEquals(new double[] {0.02 / 0.06, 0.03 / 0.06, 0.01 / 0.06},
                EmissionPolicy.named("price-ema").shares(subnets), 1e-12);
    }

    @Test
    void priceEmaFallsBackToPlainPricesWhenEverythingWasBurned() {
        List<EmissionPolicy.SubnetSignal> subnets = List.of(
                new EmissionPolicy.SubnetSignal(1, 0.03, 1.0, 0), new EmissionPolicy.SubnetSignal(2, 0.01, 1.0, 0));
        assertArrayEquals(new double[] {0.75, 0.25}, EmissionPolicy.named("price-ema").shares(subnets), 1e-12);
    }

    @Test
    void netFlowSharesGoToInflowOnlyAndEqualWithoutAny() {
        List<EmissionPolicy.SubnetSignal> flows = List.of(
                new EmissionPolicy.SubnetSignal(1, 1, 0, 3 * TAO), new EmissionPolicy.SubnetSignal(2, 1, 0, -5 * TAO),
                new EmissionPolicy.SubnetSignal(3, 1, 0, TAO));
        assertArrayEquals(new double[] {0.75, 0, 0.25}, EmissionPolicy.named("net-tao-flow").shares(flows), 1e-12);
        List<EmissionPolicy.SubnetSignal> outflows = List.of(
                new EmissionPolicy.SubnetSignal(1, 1, 0, -1), new EmissionPolicy.SubnetSignal(2, 1, 0, 0));
        assertArrayEquals(new double[] {0.5, 0.5}, EmissionPolicy.named("net-tao-flow").shares(outflows), 1e-12);
    }

    @Test
    void equalSharesAreEqual() {
        List<EmissionPolicy.SubnetSignal> subnets = List.of(new EmissionPolicy.SubnetSignal(1, 5, 0, 0),
                new EmissionPolicy.SubnetSignal(2, 0, 1, 0), new EmissionPolicy.SubnetSignal(3, 1, 0, 0),
                new EmissionPolicy.SubnetSignal(4, 2, 0, 0));
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, EmissionPolicy.named("equal").shares(subnets), 0);
    }
}
