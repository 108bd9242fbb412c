package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.cli.Api;
import io.cortex.deploy.cli.Wallets;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.Neuron;
import io.cortex.protocol.identity.Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A miner and a validator outside the cluster, each its own process with a wallet made by
 * {@code cortex wallet create}, join a running testnet over gRPC and Aeron: they register (paying the burn),
 * announce their axons, and within a few epochs the miner earns incentive and the validator's weights count
 * in consensus (dividends). SIGTERM stops both cleanly.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class OutsideNeuronTest {
    private static final int NETUID = 1;
    private static final Duration EARN_WITHIN = Duration.ofSeconds(120); // 2 s epochs: many epochs of slack

    @TempDir
    Path home;

    @AfterEach
    void down() {
        TestnetState.read(home.resolve("testnet")).ifPresent(state -> state.nodes().forEach(n ->
                System.out.println("---- " + n.log() + "\n" + Testnet.tail(n.log(), 15))));
        CliRun.of("testnet", "down");
        System.clearProperty("cortex.home");
    }

    @Test
    void anOutsideMinerAndValidatorEarnWithTheirOwnKeys() throws Exception {
        System.setProperty("cortex.home", home.toString());
        CliRun.ok("testnet", "up", "--detach", "--nodes", "2", "--subnets", "1", "--miners", "2", "--validators", "1",
                "--block-time", "100ms", "--tempo", "20", "--round-interval", "100ms");
        TestnetState state = TestnetState.read(home.resolve("testnet")).orElseThrow();
        String nodes = state.nodes().stream().map(TestnetState.Node::grpc).collect(Collectors.joining(","));

        Path password = home.resolve("password");
        Files.writeString(password, "correct horse battery staple\n", StandardCharsets.UTF_8);
        CliRun.ok("wallet", "create", "outminer", "--password-file", password.toString());
        CliRun.ok("wallet", "create", "outvalidator", "--password-file", password.toString());
        CliRun.ok("wallet", "transfer", "--from", "alice", "--to", "outminer", "--amount", "50");
        CliRun.ok("wallet", "transfer", "--from", "alice", "--to", "outvalidator", "--amount", "2000");
        Wallets wallets = new Wallets(home.resolve("wallets"));
        Address minerHotkey = wallets.hotkey("outminer", Wallets.DEFAULT_HOTKEY).address();
        Address validatorHotkey = wallets.hotkey("outvalidator", Wallets.DEFAULT_HOTKEY).address();

        try (CortexProcess miner = CortexProcess.start(home, home.resolve("miner.log"), "miner", "run",
                "--wallet", "outminer", "--netuid", "1", "--mechanism", "compute", "--node", nodes,
                "--password-file", password.toString());
             CortexProcess validator = CortexProcess.start(home, home.resolve("validator.log"), "validator", "run",
                     "--wallet", "outvalidator", "--netuid", "1", "--node", nodes, "--password-file", password.toString(),
                     "--stake", "1000", "--round-interval", "100")) {
            long deadline = System.nanoTime() + EARN_WITHIN.toNanos();
            Neuron m = null;
            Neuron v = null;
            try (Api api = new Api(state.nodes().get(0).grpc())) {
                while (System.nanoTime() < deadline) {
                    Metagraph graph = api.call(api.ledger().subnet(NetuidRequest.newBuilder().setNetuid(NETUID).build()))
                            .getMetagraph();
                    m = find(graph, minerHotkey).orElse(null);
                    v = find(graph, validatorHotkey).orElse(null);
                    if (m != null && v != null && m.getIncentive() > 0 && v.getDividends() > 0) {
                        break;
                    }
                    assertTrue(miner.process.isAlive(), "the miner exited:\n" + miner.output());
                    assertTrue(validator.process.isAlive(), "the validator exited:\n" + validator.output());
                    Thread.sleep(1_000);
                }
            }
            String why = "\nminer:\n" + miner.output() + "\nvalidator:\n" + validator.output();
            assertTrue(m != null && m.getIncentive() > 0, "the outside miner earns incentive: " + m + why);
            assertTrue(v != null && v.getDividends() > 0, "the outside validator earns dividends: " + v + why);
            assertFalse(m.getAxon().isEmpty(), "the miner announced its axon");
            assertNotEquals(m.getAxon(), v.getAxon(), "each announced its own axon");
            assertTrue(miner.output().contains("uid " + m.getUid()), "the miner prints its standing:\n" + miner.output());

            assertEquals(143, miner.terminate(Duration.ofSeconds(20)), "the miner stops on SIGTERM" + why);
            assertEquals(143, validator.terminate(Duration.ofSeconds(20)), "the validator stops on SIGTERM" + why);
            assertFalse(miner.output().contains("Exception"), "no exception:\n" + miner.output());
            assertFalse(validator.output().contains("Exception"), "no exception:\n" + validator.output());
        }
    }

    private static Optional<Neuron> find(Metagraph graph, Address hotkey) {
        return graph.getNeuronsList().stream().filter(n -> n.getHotkey().equals(hotkey.toString())).findFirst();
    }
}
