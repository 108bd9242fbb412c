package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.state.ChainSpec;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.sharding.node.CortexNode;
import io.cortex.sharding.node.NodeSettings;
import io.cortex.subnets.Weighting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A testnet is a dev network: its chain spec is its plan's, and its nodes start from it. */
class TestnetChainSpecTest {

    @Test
    void theTestnetsSpecIsDevFundsItsPlanAndCreatesItsSubnetsAndEveryNodeStartsFromIt(@TempDir Path dir)
            throws Exception {
        TestnetPlan plan = new TestnetPlan(3, 2, 4, 2, Duration.ofMillis(100), 20, 7, 1000, Duration.ofMillis(250), 0.05,
                Weighting.named("over-baseline"), TestnetPlan.Store.h2(), List.of("compute"), 0,
                Duration.ofSeconds(2), "backoff");

        ChainSpec spec = Testnet.chainSpec(plan);
        Path chain = dir.resolve(Testnet.CHAIN_FILE);
        spec.write(chain);

        assertTrue(spec.ledger().devMode());
        assertEquals(2, spec.subnets().size(), "the plan's subnets are created at genesis");
        NodeSettings node = NodeSettings.from(CortexNode.configuration(ConfigFactory.parseString(
                plan.nodeConfig("n2", 25521, 50052, 25520, dir.resolve("ledger"))
                        + "cortex.chain.file = \"" + chain.toString().replace('\\', '/') + "\"\n")));
        assertEquals(spec, node.chain());
        NetworkPlan hosted = node.plan();
        assertEquals(2, hosted.subnets().size());
        hosted.genesisBalances().forEach((account, amount) -> assertTrue(spec.ledger().balances().get(account) >= amount,
                "the plan's key " + account + " is funded"));
        LedgerConfig.devnet().balances().forEach((account, amount) -> assertTrue(
                spec.ledger().balances().get(account) >= amount, "the dev account " + account + " is funded"));

        Path[] tls = Testnet.tls(dir);
        List<String> command = Testnet.nodeCommand(dir.resolve("n2.conf"), chain, tls,
                new Testnet.NodeJvm("512m", "serial", io.cortex.deploy.CortexCli.class.getName()));
        assertEquals(chain.toString(), command.get(command.indexOf("--chain") + 1));
        assertEquals(tls[0].toString(), command.get(command.indexOf("--tls-cert") + 1), "the nodes serve TLS");
        assertEquals(tls[1].toString(), command.get(command.indexOf("--tls-key") + 1));
        assertEquals(java.util.Arrays.asList(tls), java.util.Arrays.asList(Testnet.tls(dir)), "the pair is kept");
    }
}
