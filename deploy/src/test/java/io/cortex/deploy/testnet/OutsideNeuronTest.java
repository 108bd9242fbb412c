package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.cli.Api;
import io.cortex.deploy.cli.Wallets;
import com.google.protobuf.ByteString;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.TransactionCodec;
import io.cortex.protocol.aeron.Dendrite;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.protocol.aeron.Status;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.SubmitReply;
import io.cortex.protocol.api.SubmitRequest;
import io.cortex.core.identity.Keypair;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.Neuron;
import io.cortex.core.identity.Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README's "Join a network", run as written, then a validator beside it: a miner and a validator outside the cluster, each its own process with a wallet made by
 * {@code cortex wallet create}, join a running testnet over gRPC and Aeron: they register (paying the burn),
 * announce their axons, and within a few epochs the miner earns incentive and the validator's weights count
 * in consensus (dividends). The metagraph labels them apart from the hosted dev neurons. The refusals the
 * issue names are refused with their reason and change nothing. SIGTERM stops both cleanly.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class OutsideNeuronTest {
    private static final int NETUID = 1;
    private static final String WALLET = "mywallet";
    private static final Duration EARN_WITHIN = Duration.ofSeconds(120); // 2 s epochs: many epochs of slack

    @RegisterExtension
    final LiveTestnet testnet = new LiveTestnet(15);

    @Test
    void anOutsideMinerAndValidatorEarnWithTheirOwnKeys() throws Exception {
        // the guide starts from "testnet up --detach"; a smaller, faster testnet here (2 s epochs)
        Path home = testnet.home();
        TestnetState state = testnet.up(2, 2, 1);
        String nodes = state.nodes().stream().map(TestnetState.Node::grpc).collect(Collectors.joining(","));

        Path password = OutsideNeurons.password(home);
        // README's "Join a network" lines, as written, with --password-file where its user types the password
        List<List<String>> guide = joinGuide();
        assertEquals(3, guide.size(), "the guide's lines: " + guide);
        CliRun.ok(withPassword(guide.get(0), password));
        CliRun.ok(guide.get(1).toArray(String[]::new));
        Address validatorHotkey = OutsideNeurons.fundedWallet(home, password, "outvalidator", "2000");
        Wallets wallets = new Wallets(home.resolve("wallets"));

        try (CortexProcess miner = CortexProcess.start(home, home.resolve("miner.log"), withPassword(guide.get(2), password));
             CortexProcess validator = OutsideNeurons.startValidator(home, password, "outvalidator", nodes);
             Api api = new Api(state.nodes().get(0).grpc())) {
            OutsideNeurons outside = new OutsideNeurons(miner, OutsideNeurons.hotkey(home, WALLET), validator, validatorHotkey);
            // the validator prints "validator <hotkey> on subnet 1: ..." once it has opened its epoch stream
            LiveTestnet.awaitUntil(Duration.ofSeconds(60), () -> "the validator started:\n" + validator.output(),
                    () -> validator.output().contains("validator " + validatorHotkey + " on subnet"));
            long streamOpenedBy = System.nanoTime();
            OutsideNeurons.Standing earning = outside.await(api, EARN_WITHIN, "the outside miner earning incentive and the "
                    + "outside validator dividends", OutsideNeurons.Standing::earning);
            Neuron m = earning.miner();
            Neuron v = earning.validator();
            String why = outside.outputs();
            assertTrue(m != null && m.getIncentive() > 0, "the outside miner earns incentive: " + m + why);
            assertTrue(v != null && v.getDividends() > 0, "the outside validator earns dividends: " + v + why);
            assertFalse(m.getAxon().isEmpty(), "the miner announced its axon");
            assertNotEquals(m.getAxon(), v.getAxon(), "each announced its own axon");
            assertTrue(miner.output().contains("uid " + m.getUid()), "the miner prints its standing:\n" + miner.output());
            assertFalse(m.getHosted() || v.getHosted(), "neurons with their own keys are not hosted");
            assertTrue(miner.output().contains("TLS trusting " + TestnetState.tlsCertificate(home.resolve("testnet"))),
                    "the miner verifies the testnet's TLS certificate:\n" + miner.output());
            try (Api plain = new Api(state.nodes().get(0).grpc(), io.cortex.sdk.Tls.PLAINTEXT)) {
                assertThrows(RuntimeException.class, () -> plain.call(plain.ledger().status(
                        io.cortex.protocol.api.StatusRequest.getDefaultInstance())), "the nodes speak only TLS");
            }
            // each exports its metrics: the miner's axon served queries, the validator's dendrite sent them
            assertTrue(metric(miner, "cortex_axon_events_total{event=\"served\"}") > 0, miner.output());
            assertTrue(metric(validator, "cortex_queries_total{netuid=\"1\",status=\"200\"}") > 0, validator.output());

            String table = CliRun.ok("metagraph", "--netuid", "1").out();
            assertTrue(table.contains("hosted dev") && table.contains("own keys"),
                    "the metagraph labels hosted dev neurons and neurons with their own keys:\n" + table);

            refusals(state, wallets, m, miner);

            // the validator's epoch stream stays open while no node fails: past the unary calls' 30 s deadline,
            // no break and no move to another node. An epoch that begins 35 s or more after the validator said it
            // had opened the stream is past that deadline: the validator's standing in it, no break
            long pastDeadline = streamOpenedBy + TimeUnit.SECONDS.toNanos(35);
            long[] epoch = {-1}; // the first epoch to begin 35 s after that or later, once that time has come
            LiveTestnet.awaitUntil(Duration.ofSeconds(60), () -> "the validator's standing in an epoch begun over 35 s "
                    + "after its epoch stream opened (epoch " + epoch[0] + " on):\n" + validator.output(), () -> {
                assertStreamOnItsNode(validator);
                if (epoch[0] < 0 && System.nanoTime() - pastDeadline >= 0) {
                    epoch[0] = metagraph(api).getEpochIndex() + 1;
                }
                return epoch[0] >= 0 && OutsideNeurons.lastStandingEpoch(validator) >= epoch[0];
            });
            assertStreamOnItsNode(validator);

            outside.stopCleanly();
        }
    }

    /** One sample of the metrics the process serves at the address it printed ("metrics http://.../metrics"). */
    static double metric(CortexProcess process, String sample) throws Exception {
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("metrics (http://\\S+/metrics)").matcher(process.output());
        assertTrue(at.find(), "the process prints where its metrics are:\n" + process.output());
        String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(at.group(1))).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1));
            }
        }
        throw new AssertionError(sample + " not in\n" + body);
    }

    private static void assertStreamOnItsNode(CortexProcess validator) {
        assertFalse(validator.output().contains("epoch stream from") || validator.output().contains("node unreachable"),
                "the validator's stream and calls stay on their node:\n" + validator.output());
    }

    /**
     * Each refusal the issue names, with its reason, and no state changed: a transaction signed with the wrong
     * key, a serve_axon for a hotkey the signer does not hold, a registration without the burn, and a query to
     * the outside miner from a hotkey not registered on the subnet.
     */
    private void refusals(TestnetState state, Wallets wallets, Neuron minerBefore, CortexProcess miner) throws Exception {
        Keypair minerColdkey = wallets.coldkey(WALLET, new Wallets.Passwords(testnet.home().resolve("password")));
        Keypair attacker = Keypair.generate();
        try (Api api = new Api(state.nodes().get(0).grpc())) {
            long balance = balance(api, minerColdkey.address());
            long nonce = nonce(api, minerColdkey.address());

            // the miner's coldkey as signer, the attacker's signature: a transfer to the attacker
            SignedTransaction forged = SignedTransaction.sign(attacker, nonce,
                    new Transaction.Transfer(attacker.address(), 1_000_000_000L));
            SubmitReply r = submit(api, new SignedTransaction(minerColdkey.address(), nonce, forged.body(), forged.signature()));
            assertEquals("BAD_SIGNATURE", r.getReason(), r.toString());
            assertEquals(balance, balance(api, minerColdkey.address()), "no TAO moved");
            assertEquals(nonce, nonce(api, minerColdkey.address()), "the nonce did not move");

            // serve_axon redirecting the outside miner's axon, signed by a key that is not its hotkey
            Address minerHotkey = Address.parse(minerBefore.getHotkey());
            SignedTransaction serve = SignedTransaction.sign(attacker, nonce(api, minerHotkey),
                    new Transaction.ServeAxon(NETUID, "aeron:udp?endpoint=127.0.0.1:9"));
            r = submit(api, new SignedTransaction(minerHotkey, serve.nonce(), serve.body(), serve.signature()));
            assertEquals("BAD_SIGNATURE", r.getReason(), r.toString());
            // and by the attacker's own key, which holds no hotkey on the subnet
            r = submit(api, SignedTransaction.sign(attacker, 0, new Transaction.ServeAxon(NETUID, "aeron:udp?endpoint=127.0.0.1:9")));
            assertEquals("UNKNOWN_HOTKEY", r.getReason(), r.toString());
            assertEquals(minerBefore.getAxon(), OutsideNeurons.find(metagraph(api), minerHotkey).orElseThrow().getAxon(), "the axon is unchanged");

            // registration by a coldkey that cannot pay the burn
            int size = metagraph(api).getNeuronsCount();
            r = submit(api, SignedTransaction.sign(attacker, 0, new Transaction.RegisterNeuron(NETUID, attacker.address(), 0)));
            assertEquals("INSUFFICIENT_BALANCE", r.getReason(), r.toString());
            assertEquals(size, metagraph(api).getNeuronsCount(), "nobody was registered");
        }

        // a query to the outside miner from a hotkey not registered on the subnet is refused by its axon
        try (QueryTransport outsider = QueryTransport.start(new QueryTransport.Context().name("outsider"))) {
            Dendrite.Response response = outsider.dendrite().query(attacker, Address.parse(minerBefore.getHotkey()),
                    minerBefore.getAxon(), NETUID, new byte[16], Duration.ofSeconds(2)).join();
            assertNotEquals(Status.OK, response.status(), "an unregistered caller gets no answer");
            LiveTestnet.awaitUntil(Duration.ofSeconds(10), () -> "the miner's axon logging the refusal:\n" + miner.output(),
                    () -> miner.output().contains("refused hello-"));
        }
    }

    private static SubmitReply submit(Api api, SignedTransaction tx) {
        SubmitReply reply = api.call(api.ledger().submit(SubmitRequest.newBuilder()
                .setTransaction(ByteString.copyFrom(TransactionCodec.encode(tx))).build()));
        assertFalse(reply.getAccepted(), "refused: " + tx.body());
        assertFalse(reply.getDetail().isEmpty(), "with a reason a user can read");
        return reply;
    }

    private static long balance(Api api, Address a) {
        return api.call(api.ledger().balance(AccountRequest.newBuilder().setAddress(a.toString()).build())).getBalance();
    }

    private static long nonce(Api api, Address a) {
        return api.call(api.ledger().nonce(AccountRequest.newBuilder().setAddress(a.toString()).build())).getNext();
    }

    private static Metagraph metagraph(Api api) {
        return api.call(api.ledger().subnet(NetuidRequest.newBuilder().setNetuid(NETUID).build())).getMetagraph();
    }

    /** The commands of README's "Join a network" block, without {@code ./cortex}. */
    static List<List<String>> joinGuide() throws java.io.IOException {
        String readme = Files.readString(Path.of("..", "README.md").toAbsolutePath().normalize(), StandardCharsets.UTF_8);
        int marker = readme.indexOf("<!-- join-guide");
        assertTrue(marker >= 0, "README has the join guide");
        int open = readme.indexOf("```\n", marker) + 4;
        String block = readme.substring(open, readme.indexOf("```", open));
        List<List<String>> commands = new ArrayList<>();
        for (String line : block.strip().split("\n")) {
            assertTrue(line.startsWith("./cortex "), line);
            commands.add(List.of(line.substring("./cortex ".length()).trim().split("\\s+")));
        }
        assertEquals(WALLET, commands.get(0).get(2), "the guide's wallet");
        return commands;
    }

    private static String[] withPassword(List<String> command, Path password) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--password-file", password.toString()));
        return args.toArray(String[]::new);
    }
}
