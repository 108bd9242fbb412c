package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.aeron.Publication;
import io.cortex.deploy.cli.Api;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.TransactionCodec;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.Neuron;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.SubmitReply;
import io.cortex.protocol.api.SubmitRequest;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14's handshake attacks, driven against a live three-node testnet by an outsider's client written
 * from {@code protocol/README.md} alone ({@link WireClient}), with a registered and staked hotkey of its own
 * (registration and staking are permissionless; miners answer only holders of a validator permit, which any stake
 * earns on a subnet with fewer stakers than permits): one signed HELLO replayed thousands of times, HELLOs naming reply channels at ports the
 * attacker chose, unauthenticated oversized REQUESTs on its live session, Aeron SETUPs claiming a 1 GiB term,
 * HELLOs without a signature, and unsigned refusals sprayed at every node's dendrite. Throughout, the
 * registered validators' queries keep working, no miner on the attacked node loses more than 10 % of its
 * incentive, no datagram reaches a port the attacker chose, and every refusal shows in the node's counters.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class HandshakeAttackTest {
    private static final int NETUID = 1;
    // 2 s epochs: a window long enough that score noise stays inside 10 % (at 12 epochs a miner with 3 % of the
    // incentive once fell 10.06 % in CI while its validators' timeouts stayed within the bound checked below)
    private static final int EPOCHS = 16;

    @RegisterExtension
    final LiveTestnet testnet = new LiveTestnet(15);

    @Test
    void aLiveNodeShrugsOffEveryHandshakeAttack() throws Exception {
        TestnetState state = testnet.up(3, 9, 3, "--outside", "0", "--score-alpha", "0.03");
        TestnetState.Node ledgerHost = LiveTestnet.ledgerHost(state.nodes());
        TestnetState.Node attacked = state.nodes().stream().filter(n -> n != ledgerHost).findFirst().orElseThrow();
        StatusReply attackedStatus = LiveTestnet.status(attacked);
        String axonChannel = attackedStatus.getAxonChannel();
        String axonEndpoint = axonChannel.substring(axonChannel.indexOf('=') + 1);

        try (Api api = new Api(attacked.grpc())) {
            // settled: three quarters of the miners paid
            awaitEpochs(api, 2, m -> m.getNeuronsList().stream().filter(n -> n.getIncentive() > 0).count() >= 7);
            List<Neuron> hosted = metagraph(api).getNeuronsList().stream().filter(n -> n.getAxon().equals(axonChannel)).toList();
            assertTrue(hosted.size() >= 2, "the attacked node hosts miners: " + hosted.size());
            Address target = Address.parse(hosted.get(0).getHotkey());

            // the attacker: a coldkey with funds, a fresh hotkey registered and staked on the subnet (a validator
            // permit at the next epoch), serving its own endpoint
            int attackerPort = freePort();
            Keypair coldkey = DevKeys.coldkey("ferdie");
            Keypair hotkey = Keypair.generate();
            submit(api, coldkey, new Transaction.RegisterNeuron(NETUID, hotkey.address(), 0));
            submit(api, coldkey, new Transaction.AddStake(hotkey.address(), NETUID, Rao.tao(10), 0));
            submit(api, hotkey, new Transaction.ServeAxon(NETUID, "aeron:udp?endpoint=127.0.0.1:" + attackerPort));

            Map<Long, Metagraph> before = awaitEpochs(api, EPOCHS, m -> true);
            Map<String, Map<String, Long>> countersBefore = counters(state);
            Map<Long, Metagraph> during;

            try (WireClient attacker = new WireClient(axonEndpoint, attackerPort);
                 Victims victims = new Victims(4)) {
                // a real session first (the miners' metagraph must show the attacker's axon): the HELLO to replay
                byte[] hello = null;
                byte[] ack = null;
                long giveUp = System.currentTimeMillis() + 30_000;
                while (ack == null || WireClient.statusOf(ack) != 200) {
                    assertTrue(System.currentTimeMillis() < giveUp, "the attacker's own HELLO is accepted once its axon is served");
                    long correlation = attacker.nonce();
                    hello = attacker.hello(correlation, System.currentTimeMillis(), attacker.nonce(), hotkey.address(), hotkey,
                            target, NETUID, attacker.replyChannel, WireClient.REPLY_STREAM, false);
                    attacker.send(hello);
                    ack = attacker.await(f -> f.length == 120 && WireClient.correlationOf(f) == correlation, 1000);
                }
                long session = WireClient.sessionIdOf(ack);
                InetSocketAddress axonAddress = new InetSocketAddress(axonEndpoint.substring(0, axonEndpoint.lastIndexOf(':')),
                        Integer.parseInt(axonEndpoint.substring(axonEndpoint.lastIndexOf(':') + 1)));
                // the chosen ports are never an announced axon's: a HELLO naming one would rightly open a session (and,
                // the caller's third reply channel, evict its live one)
                Set<String> announced = metagraph(api).getNeuronsList().stream().map(Neuron::getAxon).collect(Collectors.toSet());
                Attack attack = new Attack(attacker, hotkey, target, hello, session, victims, state, axonAddress, announced);
                Thread flood = new Thread(attack, "attacker");
                flood.start();
                during = awaitEpochs(api, EPOCHS, m -> true);
                attack.stop();
                flood.join(30_000);
                assertFalse(flood.isAlive(), "the attacker stopped");
                assertNull(attack.failure, () -> "the attacker failed: " + attack.failure);
                // the flood ran at its rates (about 16 epochs of 10 rounds a second), so the counts below mean something
                assertTrue(attack.replays.get() > 1_000 && attack.channels.get() > 200 && attack.oversized.get() > 25
                        && attack.setups.get() > 2 && attack.forgedAcks.get() > 0, "the attack's volume: " + attack);
                Map<String, Map<String, Long>> countersAfter = counters(state);
                Map<String, Long> axon = delta(countersBefore.get(attacked.name()), countersAfter.get(attacked.name()));
                System.out.println("attack: " + attack + "\naxon of the attacked node during the attack: " + axon);

                // an empty signature is answered 401, signed by the miner; the axon answers at most 100 refusals
                // a second in all (past that it only counts them), so a try may fall in a second the flood's
                // tail still fills: three tries, in three seconds
                byte[] unsigned = null;
                byte[] refusal = null;
                for (int attempt = 0; attempt < 3 && refusal == null; attempt++) {
                    long correlation = attacker.nonce();
                    unsigned = attacker.hello(correlation, System.currentTimeMillis(), attacker.nonce(), hotkey.address(), null,
                            target, NETUID, attacker.replyChannel, WireClient.REPLY_STREAM, false);
                    attacker.send(unsigned);
                    refusal = attacker.await(f -> f.length == 120 && WireClient.correlationOf(f) == correlation, 3000);
                }
                assertNotNull(refusal, "a HELLO with an empty signature is answered");
                assertEquals(401, WireClient.statusOf(refusal));
                assertTrue(WireClient.signedBy(target, unsigned, refusal), "the refusal is signed by the miner");

                // no datagram went where the attacker pointed
                assertEquals(0, victims.received(), "datagrams reached ports the attacker chose");

                // every refusal shows in a counter
                assertTrue(axon.get("replayed") >= attack.replays.get() * 9 / 10, "replays counted: " + axon);
                assertTrue(axon.get("refused_channel") >= attack.channels.get() * 9 / 10, "chosen channels counted: " + axon);
                assertTrue(axon.get("unauthorized") >= attack.oversized.get() * 9 / 10, "forged oversized requests counted: " + axon);
                assertEquals(0, axon.get("too_large"), "no 413 to an unauthenticated frame");
                assertTrue(axon.get("setups_refused") >= attack.setups.get() / 2, "oversized Aeron setups counted: " + axon);
                assertTrue(axon.get("sessions_opened") <= 200, "replays opened no sessions: " + axon);
                long forgedSeen = 0;
                for (TestnetState.Node n : state.nodes()) {
                    Map<String, Long> d = delta(countersBefore.get(n.name() + "/dendrite"), countersAfter.get(n.name() + "/dendrite"));
                    System.out.println("dendrite of " + n.name() + " during the attack: " + d);
                    forgedSeen += d.get("forged_acks") + d.get("dropped");
                    // registered validators' queries keep working
                    assertTrue(d.get("answered") > 0, n.name() + "'s validators are answered: " + d);
                    assertTrue(d.get("timed_out") <= Math.max(20, d.get("sent") / 50), n.name() + "'s validators barely time out: " + d);
                }
                assertTrue(forgedSeen >= attack.forgedAcks.get() / 2, "forged refusals counted by the dendrites");
            }

            // no miner on the attacked node loses more than 10 % of its incentive
            StringBuilder table = new StringBuilder();
            for (Neuron miner : hosted) {
                double b = meanIncentive(before, miner.getHotkey());
                double d = meanIncentive(during, miner.getHotkey());
                table.append(String.format("%n  %s incentive before %.0f, during %.0f", miner.getHotkey().substring(0, 10), b, d));
            }
            System.out.println("miners of the attacked node, mean incentive over " + EPOCHS + " epochs:" + table);
            for (Neuron miner : hosted) {
                double b = meanIncentive(before, miner.getHotkey());
                double d = meanIncentive(during, miner.getHotkey());
                if (b >= 0.02 * 65_535) {
                    assertTrue(d >= 0.9 * b, "a miner on the attacked node lost more than 10 %:" + table);
                }
            }
        }
    }

    /** The attacks, in turns until stopped. */
    private static final class Attack implements Runnable {
        final WireClient client;
        final Keypair hotkey;
        final Address target;
        final byte[] hello;
        final long session;
        final Victims victims;
        final TestnetState state;
        final InetSocketAddress axonAddress;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong replays = new AtomicLong();
        final AtomicLong channels = new AtomicLong();
        final AtomicLong oversized = new AtomicLong();
        final AtomicLong setups = new AtomicLong();
        final AtomicLong forgedAcks = new AtomicLong();
        final Set<String> announced;
        volatile Exception failure;

        Attack(WireClient client, Keypair hotkey, Address target, byte[] hello, long session, Victims victims, TestnetState state,
               InetSocketAddress axonAddress, Set<String> announced) {
            this.client = client;
            this.announced = announced;
            this.axonAddress = axonAddress;
            this.hotkey = hotkey;
            this.target = target;
            this.hello = hello;
            this.session = session;
            this.victims = victims;
            this.state = state;
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            List<Publication> dendrites = new ArrayList<>();
            try (DatagramSocket raw = new DatagramSocket()) {
                for (TestnetState.Node n : state.nodes()) {
                    String channel = LiveTestnet.status(n).getAxonChannel();
                    dendrites.add(client.toReplies(channel.substring(channel.indexOf('=') + 1)));
                }
                int round = 0;
                while (running.get()) {
                    round++;
                    // the same signed HELLO, again and again (400 a second; the attacker managed 371)
                    for (int i = 0; i < 40 && running.get(); i++) {
                        if (client.send(hello)) {
                            replays.incrementAndGet();
                        }
                    }
                    // HELLOs naming reply channels at ports the attacker chose, the victims' and fresh ones (90 a second;
                    // before, 1,100 in 15 s cost validators 127 timeouts)
                    for (int i = 0; i < 9; i++) {
                        String chosen;
                        do {
                            int port = i == 0 ? victims.port(round % victims.count()) : 20_000 + (int) Math.floorMod(client.nonce(), 40_000);
                            chosen = "aeron:udp?endpoint=127.0.0.1:" + port;
                        } while (announced.contains(chosen));
                        client.send(client.hello(client.nonce(), System.currentTimeMillis(), client.nonce(), hotkey.address(), hotkey,
                                target, NETUID, chosen, WireClient.REPLY_STREAM, false));
                        channels.incrementAndGet();
                    }
                    // an unauthenticated REQUEST declaring a body far over the maximum, on the live session
                    client.send(WireClient.forgedRequest(client.nonce(), session, 1 << 20));
                    oversized.incrementAndGet();
                    // unsigned refusals sprayed at every node's dendrite
                    byte[] forged = WireClient.forgedRefusal(Math.floorMod(client.nonce(), 1L << 32), 401);
                    for (Publication p : dendrites) {
                        if (p.offer(new UnsafeBuffer(forged)) > 0) {
                            forgedAcks.incrementAndGet();
                        }
                    }
                    // a 40-byte Aeron SETUP claiming a 1 GiB term, now and then
                    if (round % 10 == 0) {
                        byte[] setup = WireClient.aeronSetup((int) client.nonce(), WireClient.AXON_STREAM, 1 << 30);
                        raw.send(new DatagramPacket(setup, setup.length, axonAddress));
                        setups.incrementAndGet();
                    }
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                dendrites.forEach(Publication::close);
            }
        }

        @Override
        public String toString() {
            return replays + " replayed HELLOs, " + channels + " HELLOs naming chosen channels, " + oversized
                    + " forged oversized requests, " + setups + " oversized setups, " + forgedAcks + " forged refusals";
        }
    }

    /** UDP sockets on loopback at ports the attacker names as reply channels; nothing may reach them. */
    private static final class Victims implements AutoCloseable {
        final List<DatagramSocket> sockets = new ArrayList<>();

        Victims(int count) throws Exception {
            for (int i = 0; i < count; i++) {
                DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                s.setSoTimeout(1);
                sockets.add(s);
            }
        }

        int count() {
            return sockets.size();
        }

        int port(int i) {
            return sockets.get(i).getLocalPort();
        }

        long received() throws Exception {
            long n = 0;
            DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
            for (DatagramSocket s : sockets) {
                while (true) {
                    try {
                        s.receive(packet);
                        n++;
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                }
            }
            return n;
        }

        @Override
        public void close() {
            sockets.forEach(DatagramSocket::close);
        }
    }

    private static Map<String, Map<String, Long>> counters(TestnetState state) {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        for (TestnetState.Node n : state.nodes()) {
            StatusReply s = LiveTestnet.status(n);
            all.put(n.name(), new TreeMap<>(s.getAxonCountersMap()));
            all.put(n.name() + "/dendrite", new TreeMap<>(s.getDendriteCountersMap()));
        }
        return all;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    private static Metagraph metagraph(Api api) {
        return api.call(api.ledger().subnet(NetuidRequest.newBuilder().setNetuid(NETUID).build())).getMetagraph();
    }

    /** The metagraphs of the next {@code count} epochs that {@code wanted} accepts, by epoch index. */
    private static Map<Long, Metagraph> awaitEpochs(Api api, int count, java.util.function.Predicate<Metagraph> wanted)
            throws InterruptedException {
        Map<Long, Metagraph> epochs = new TreeMap<>();
        long first = metagraph(api).getEpochIndex();
        LiveTestnet.awaitUntil(Duration.ofMinutes(3), () -> count + " epochs after " + first + ": " + epochs.keySet(), () -> {
            Metagraph m = metagraph(api);
            if (m.getEpochIndex() > first && wanted.test(m)) {
                epochs.putIfAbsent(m.getEpochIndex(), m);
            }
            return epochs.size() >= count;
        });
        return epochs;
    }

    private static double meanIncentive(Map<Long, Metagraph> epochs, String hotkey) {
        return epochs.values().stream().mapToDouble(m -> m.getNeuronsList().stream().filter(n -> n.getHotkey().equals(hotkey))
                .mapToInt(Neuron::getIncentive).sum()).average().orElse(0);
    }

    private static void submit(Api api, Keypair signer, Transaction body) {
        long nonce = api.call(api.ledger().balance(AccountRequest.newBuilder().setAddress(signer.address().toString()).build()))
                .getNonce();
        SubmitReply r = api.call(api.ledger().submit(SubmitRequest.newBuilder()
                .setTransaction(ByteString.copyFrom(TransactionCodec.encode(SignedTransaction.sign(signer, nonce, body)))).build()));
        assertTrue(r.getAccepted(), body + " accepted: " + r);
    }

    private static int freePort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return probe.getLocalPort();
        }
    }
}
