package io.cortex.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.actor.LedgerViews;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.state.ChainSpec;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.SubnetHyperparameters;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.api.LedgerClient;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.MetagraphRequest;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.api.SubnetReply;
import io.cortex.sharding.node.CortexNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 32,768-uid subnet through the API of a node that does not run the ledger: its metagraph streams in pages of
 * 1,024 neurons, every one of one block, each page crossing from the ledger's node in a message that fits
 * Artery's frame; the {@code Subnet} call carries the first page and the count; bad requests are refused.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LargeMetagraphTest {
    private static final int UIDS = 32_768;
    private static final Keypair OPERATOR = Keypair.fromSeed(seed(0x51));
    private static final int PAYERS = 4;

    @Test
    void aSubnetOf32768UidsStreamsItsMetagraphInPagesOfOneBlock(@TempDir Path dir) throws Exception {
        List<Keypair> payers = new ArrayList<>();
        Map<Address, Long> balances = new HashMap<>(Map.of(OPERATOR.address(), Rao.tao(10_000)));
        for (int p = 0; p < PAYERS; p++) {
            payers.add(Keypair.fromSeed(seed(0x60 + p)));
            balances.put(payers.get(p).address(), Rao.tao(1_000));
        }
        LedgerConfig open = LedgerConfig.openNetwork(OPERATOR.address());
        SubnetHyperparameters hyper = open.subnetDefaults().with("max_allowed_uids", UIDS).with("mean_consensus", 1)
                .with("min_burn", 1_000).with("max_burn", 1_000).with("immunity_period", 1_000_000);
        Path chain = dir.resolve("chain.json");
        new ChainSpec("cortex-large", open.withBalances(balances).withSubnetDefaults(hyper), List.of()).write(chain);

        try (TestCluster cluster = TestCluster.start(2, "subnets = [], block-time = 100ms",
                "cortex.chain.file = \"" + chain.toString().replace('\\', '/') + "\"\ncortex.ledger.store = memory\n")) {
            CortexNode api = apiNode(cluster);
            ok(api, OPERATOR, 0, new Transaction.CreateSubnet(Keypair.fromSeed(seed(0x52)).address()));
            ok(api, OPERATOR, 1, new Transaction.StartSubnet(1));
            long started = System.nanoTime();
            register(api, payers);
            System.out.printf("%d uids registered in %.1f s%n", UIDS, (System.nanoTime() - started) / 1e9);

            LedgerClient client = NetworkRuntimeTest.api(api);
            try {
                started = System.nanoTime();
                List<Metagraph> pages = stream(api, client, MetagraphRequest.newBuilder().setNetuid(1).build());
                System.out.printf("the whole metagraph: %d pages in %.0f ms%n", pages.size(), (System.nanoTime() - started) / 1e6);
                assertEquals(UIDS / LedgerActor.GetMetagraphPage.MOST, pages.size());
                int next = 0;
                for (Metagraph page : pages) {
                    assertEquals(UIDS, page.getN());
                    assertEquals(pages.get(0).getBlock(), page.getBlock(), "every page of one block");
                    assertEquals(LedgerActor.GetMetagraphPage.MOST, page.getNeuronsCount());
                    for (var n : page.getNeuronsList()) {
                        assertEquals(next++, n.getUid());
                    }
                }
                assertEquals(UIDS, next);

                List<Metagraph> tail = stream(api, client, MetagraphRequest.newBuilder().setNetuid(1).setFromUid(UIDS - 8).build());
                assertEquals(1, tail.size());
                assertEquals(UIDS - 1, tail.get(0).getNeurons(7).getUid());
                List<Metagraph> small = stream(api, client, MetagraphRequest.newBuilder().setNetuid(1).setFromUid(5_000)
                        .setLimit(250).setPageSize(100).build());
                assertEquals(List.of(100, 100, 50), small.stream().map(Metagraph::getNeuronsCount).toList());
                assertEquals(5_249, small.get(2).getNeurons(49).getUid());
                List<Metagraph> past = stream(api, client, MetagraphRequest.newBuilder().setNetuid(1).setFromUid(UIDS).build());
                assertEquals(1, past.size(), "a request past the last uid is answered with the count alone");
                assertEquals(0, past.get(0).getNeuronsCount());
                assertEquals(UIDS, past.get(0).getN());

                SubnetReply subnet = client.subnet(NetuidRequest.newBuilder().setNetuid(1).build()).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                assertEquals(LedgerActor.GetMetagraphPage.MOST, subnet.getMetagraph().getNeuronsCount());
                assertEquals(UIDS, subnet.getMetagraph().getN());
                assertEquals(UIDS, subnet.getSummary().getN());

                assertRefused(api, client, MetagraphRequest.newBuilder().setNetuid(9).build(), Status.Code.NOT_FOUND);
                assertRefused(api, client, MetagraphRequest.newBuilder().setNetuid(1).setFromUid(-1).build(),
                        Status.Code.INVALID_ARGUMENT);
            } finally {
                client.close();
            }

            // a page as it crosses between nodes, against Artery's default maximum frame of 256 KiB
            LedgerViews.SubnetAnswer page = api.ledger().<LedgerViews.SubnetAnswer>ask(replyTo ->
                    new LedgerActor.GetMetagraphPage(1, -1, 0, LedgerActor.GetMetagraphPage.MOST, false, replyTo))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            int bytes = SerializationExtension.get(api.system()).serialize(page).get().length;
            System.out.printf("a page of %d neurons: %d bytes serialized%n", LedgerActor.GetMetagraphPage.MOST, bytes);
            assertTrue(bytes < 256 * 1024, bytes + " bytes");
            // the whole metagraph as the nodes' neurons read it (NodeMetagraphs asks the ledger through this): put
            // together from pages of one block, since whole it would not cross between nodes
            started = System.nanoTime();
            io.cortex.ledger.state.Metagraph whole = api.ledger().metagraph(1).toCompletableFuture().get(60, TimeUnit.SECONDS);
            System.out.printf("the whole metagraph read by a node: %d neurons in %.0f ms%n", whole.neurons().size(),
                    (System.nanoTime() - started) / 1e6);
            assertEquals(UIDS, whole.neurons().size());
            for (int uid = 0; uid < UIDS; uid++) {
                assertEquals(uid, whole.neurons().get(uid).uid());
            }
            assertTrue(api.ledger().metagraph(9).toCompletableFuture().handle((m, failure) -> failure).get(10, TimeUnit.SECONDS)
                    .getMessage().contains("no subnet 9"), "a subnet that does not exist fails the read at once");

            // a page of a block whose metagraph is not held (no reading of it asked to hold it): read it again
            LedgerViews.SubnetAnswer old = api.ledger().<LedgerViews.SubnetAnswer>ask(replyTo ->
                    new LedgerActor.GetMetagraphPage(1, 1, 0, 10, false, replyTo)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(old instanceof LedgerViews.Overtaken, old.toString());
        }
    }

    /** The node that does not run the ledger singleton, so that every page crosses between nodes. */
    private static CortexNode apiNode(TestCluster cluster) throws Exception {
        LedgerClient first = NetworkRuntimeTest.api(cluster.nodes.get(0));
        try {
            String ledgerAt = first.status(StatusRequest.getDefaultInstance()).toCompletableFuture().get(30, TimeUnit.SECONDS)
                    .getLedgerAddress();
            for (CortexNode node : cluster.nodes) {
                if (!node.system().address().toString().equals(ledgerAt)) {
                    return node;
                }
            }
            throw new AssertionError("every node runs the ledger at " + ledgerAt);
        } finally {
            first.close();
        }
    }

    /** Every uid after the owner's, registered by the payers in blocks of up to 2,048 registrations. */
    private static void register(CortexNode node, List<Keypair> payers) throws Exception {
        long[] nonce = new long[payers.size()];
        int registered = 1;
        while (registered < UIDS) {
            List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
            for (int i = 0; i < 2_048 && registered < UIDS; i++, registered++) {
                int p = registered % payers.size();
                Address hotkey = Address.of(ByteBuffer.allocate(32).putInt(0x1A27).putInt(registered).array());
                receipts.add(node.ledger().submit(SignedTransaction.sign(payers.get(p), nonce[p]++,
                        new Transaction.RegisterNeuron(1, hotkey, 0))).toCompletableFuture());
            }
            for (CompletableFuture<Receipt> r : receipts) {
                Receipt receipt = r.get(30, TimeUnit.SECONDS);
                assertTrue(receipt.accepted(), receipt.toString());
            }
        }
    }

    private static List<Metagraph> stream(CortexNode node, LedgerClient client, MetagraphRequest request) throws Exception {
        return client.metagraph(request).runWith(Sink.seq(), node.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static void assertRefused(CortexNode node, LedgerClient client, MetagraphRequest request, Status.Code code)
            throws Exception {
        try {
            stream(node, client, request);
            throw new AssertionError("expected " + code + " for " + request);
        } catch (ExecutionException e) {
            StatusRuntimeException s = (StatusRuntimeException) e.getCause();
            assertEquals(code, s.getStatus().getCode(), s.toString());
            assertNotEquals(null, s.getStatus().getDescription());
        }
    }

    private static void ok(CortexNode node, Keypair signer, long nonce, Transaction body) throws Exception {
        Receipt r = node.ledger().submit(SignedTransaction.sign(signer, nonce, body)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(r.accepted(), r.toString());
    }

    private static byte[] seed(int b) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) b);
        return seed;
    }
}
