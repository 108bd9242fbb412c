package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.emission.EmissionPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A policy of one's own is held to the contract of {@link EmissionPolicy#shares} before anything is minted. */
class CoinbaseSharesTest {
    private static final List<EmissionPolicy.SubnetSignal> THREE = List.of(
            new EmissionPolicy.SubnetSignal(1, 0.5, 0, 10), new EmissionPolicy.SubnetSignal(2, 0.3, 0, 5),
            new EmissionPolicy.SubnetSignal(3, 0.2, 0, 0));

    private static EmissionPolicy returning(double... shares) {
        return new EmissionPolicy() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public double[] shares(List<SubnetSignal> subnets) {
                return shares;
            }
        };
    }

    @Test
    void sharesPastTheWholeEmissionAreScaledDownToIt() {
        assertArrayEquals(new double[] {0.5, 0.5, 0}, Coinbase.checked(returning(1, 1, 0), THREE), 1e-12);
        assertArrayEquals(new double[] {0, 0.8, 0.2}, Coinbase.checked(returning(-3, 7, 0.25), THREE), 1e-12,
                "each share held to [0, 1]: 0 + 1 + 0.25 > 1 is then scaled");
    }

    @Test
    void notANumberCountsAsNothing() {
        assertArrayEquals(new double[] {0, 0.5, 0.5}, Coinbase.checked(returning(Double.NaN, 0.5, 0.5), THREE), 1e-12);
    }

    @Test
    void theWrongNumberOfSharesIsABrokenPolicyNamedAsSuch() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Coinbase.checked(returning(1, 0), THREE));
        assertTrue(e.getMessage().contains("'fixed' returned 2 shares for 3 subnets"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Coinbase.checked(returning((double[]) null), THREE));
    }

    @Test
    void builtInPoliciesAreLeftBitForBit() {
        assertTrue(EmissionPolicy.builtIn().size() >= 4, "the built-in policies: " + EmissionPolicy.builtIn());
        for (EmissionPolicy p : EmissionPolicy.builtIn()) {
            String name = p.name();
            double[] own = p.shares(THREE);
            double[] checked = Coinbase.checked(p, THREE);
            assertEquals(own.length, checked.length, name);
            for (int i = 0; i < own.length; i++) {
                assertTrue(Double.doubleToLongBits(own[i]) == Double.doubleToLongBits(checked[i]), name + " share " + i);
            }
        }
    }
}
