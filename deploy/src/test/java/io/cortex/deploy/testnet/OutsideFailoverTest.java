package io.cortex.deploy.testnet;

import static io.cortex.deploy.testnet.OutsideNeurons.lastStandingEpoch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.cli.Api;
import io.cortex.protocol.api.QueryReply;
import io.cortex.protocol.api.QueryRequest;
import io.cortex.core.identity.Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The failover acceptance: an outside miner and an outside validator, each a process of its own with its
 * own wallet, are given every node of a three-node testnet, the ledger singleton's host first, so the node they
 * talk to is the one lost. It is killed with {@code kill -9}: the ledger fails over to a survivor, and the two
 * neurons, never restarted, move to the next node of their list by themselves and carry on. In epochs after the
 * failover the new ledger accepts the validator's weights (its last update passes the block where blocks resumed)
 * and pays it dividends, the miner's axon answers a query and the miner earns incentive, and each process prints
 * its standing as the new ledger gives it. SIGTERM then stops both cleanly.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OutsideFailoverTest {
    private static final Duration EARN_WITHIN = Duration.ofSeconds(120); // 2 s epochs: many epochs of slack
    /** From blocks resuming to both neurons having carried on: 20 epochs of 2 s. */
    private static final Duration CARRY_ON_WITHIN = Duration.ofSeconds(40);

    @RegisterExtension
    final LiveTestnet testnet = new LiveTestnet(15);

    @Test
    void outsideNeuronsCarryOnThroughALedgerFailoverWithoutBeingRestarted() throws Exception {
        // every other neuron hosted: the two outside ones are this test's
        TestnetState state = testnet.up(3, 2, 1, "--outside", "0");
        TestnetState.Node host = LiveTestnet.ledgerHost(state.nodes());
        List<TestnetState.Node> survivors = state.nodes().stream().filter(n -> n != host).toList();
        // the node they talk to is the one lost: the ledger's host first in their list, the survivors after it
        String nodes = Stream.concat(Stream.of(host), survivors.stream()).map(TestnetState.Node::grpc)
                .collect(Collectors.joining(","));
        Path home = testnet.home();
        Path password = OutsideNeurons.password(home);
        Address minerHotkey = OutsideNeurons.fundedWallet(home, password, "outminer", "100");
        Address validatorHotkey = OutsideNeurons.fundedWallet(home, password, "outvalidator", "2000");

        try (CortexProcess miner = CortexProcess.start(home, home.resolve("miner.log"), "miner", "run", "--wallet", "outminer",
                "--netuid", "1", "--mechanism", "compute", "--node", nodes, "--password-file", password.toString());
             CortexProcess validator = OutsideNeurons.startValidator(home, password, "outvalidator", nodes);
             Api api = new Api(survivors.get(0).grpc());
             Api other = new Api(survivors.get(1).grpc())) {
            OutsideNeurons outside = new OutsideNeurons(miner, minerHotkey, validator, validatorHotkey);
            // given: both earn, talking to the ledger's host
            OutsideNeurons.Standing earning = outside.await(api, EARN_WITHIN, "the miner earning incentive and the validator "
                    + "dividends before the failover", OutsideNeurons.Standing::earning);
            assertTrue(earning.earning(), "before the failover the miner earns incentive and the validator dividends: "
                    + earning + outside.outputs());

            // when: the ledger's host dies
            LiveTestnet.Failover failover = LiveTestnet.killLedgerHost(host, api, 60);
            long resumedAt = failover.resumed().getHeight();
            long failoverEpoch = outside.await(api, CARRY_ON_WITHIN, "the new ledger answering", s -> true).graph()
                    .getEpochIndex();

            // then: within a bounded time, without a restart, the new ledger takes their work and pays them
            long carryingOnSince = System.nanoTime();
            OutsideNeurons.Standing after = outside.await(api, CARRY_ON_WITHIN, "epochs going on past epoch "
                    + (failoverEpoch + 1) + ", the new ledger taking the validator's weights (last update past block " + resumedAt
                    + ") and paying both, and both printing their standing in an epoch past " + failoverEpoch,
                    s -> s.graph().getEpochIndex() > failoverEpoch + 1 && s.earning() && s.validator().getLastUpdate() > resumedAt
                            && lastStandingEpoch(miner) > failoverEpoch && lastStandingEpoch(validator) > failoverEpoch);
            long carriedOnMillis = (System.nanoTime() - carryingOnSince) / 1_000_000;
            String why = " (blocks resumed at " + resumedAt + ", epoch " + failoverEpoch + "): " + after + outside.outputs();
            assertTrue(after.graph().getEpochIndex() > failoverEpoch + 1, "epochs went on after the failover" + why);
            assertTrue(after.validator().getLastUpdate() > resumedAt, "the new ledger accepted the validator's weights" + why);
            assertTrue(after.earning(), "the miner earns incentive and the validator dividends after the failover" + why);
            assertTrue(lastStandingEpoch(miner) > failoverEpoch && lastStandingEpoch(validator) > failoverEpoch,
                    "both read their standing from the new ledger" + why);
            LiveTestnet.awaitUntil(30, "the miner's axon answering a query after the failover" + why,
                    () -> answers(api, minerHotkey) || answers(other, minerHotkey));
            for (CortexProcess p : List.of(miner, validator)) {
                assertTrue(survivors.stream().anyMatch(n -> p.output().contains("next calls go to " + n.grpc())),
                        "it moved to a surviving node:\n" + p.output());
                p.output().lines().filter(line -> line.contains("next calls go to")).forEach(System.out::println);
            }
            System.out.println("kill -9 of the ledger's host " + host.name() + ": blocks resumed after " + failover.millis()
                    + " ms (block " + resumedAt + "); both outside neurons carried on " + carriedOnMillis + " ms later, "
                    + "in epoch " + after.graph().getEpochIndex() + " (the failover in epoch " + failoverEpoch + ")");

            outside.stopCleanly();
        }
    }

    /**
     * Whether a user's query through the node reaches the miner and it answers (status 200). A miner answers only
     * on reply channels announced on the ledger, so a node is answered once a miner it hosts has served its axon.
     */
    private static boolean answers(Api api, Address miner) {
        QueryReply reply = LiveTestnet.quietly(() -> api.call(api.network().query(QueryRequest.newBuilder()
                .setNetuid(OutsideNeurons.NETUID).setText("3 4 5 mod 7").setTop(64).setTimeoutMs(2000).build())));
        return reply != null && reply.getAnswersList().stream()
                .anyMatch(a -> a.getHotkey().equals(miner.toString()) && a.getStatus() == 200);
    }
}
