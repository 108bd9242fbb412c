package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.yuma.EpochJson;
import io.cortex.protocol.api.BalanceReply;
import io.cortex.protocol.api.EpochReply;
import io.cortex.protocol.api.EpochRequest;
import io.cortex.protocol.api.ExplainReply;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.Neuron;
import io.cortex.protocol.api.QueryReply;
import io.cortex.protocol.api.SubnetsReply;
import io.cortex.deploy.cli.Api;
import io.cortex.core.identity.Address;
import io.cortex.sharding.node.CortexNode;
import io.cortex.sharding.node.NodeSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local testnet end to end: three node processes started by {@code cortex testnet up}, driven only
 * through the command line (and, where the CLI has no verb for a raw record, the gRPC API), stopped by
 * {@code cortex testnet down}.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestnetEndToEndTest {

    @TempDir
    static Path home;

    static TestnetState state;
    static NetworkPlan plan;

    /** The outside miners' hotkeys. */
    private static final java.util.Set<String> OUTSIDE_MINERS = new java.util.HashSet<>();

    @BeforeAll
    static void up() throws Exception {
        System.setProperty("cortex.home", home.toString());
        CliRun up = CliRun.ok("testnet", "up", "--detach", "--nodes", "3", "--subnets", "2", "--miners", "8",
                "--validators", "3", "--block-time", "100ms", "--tempo", "20", "--round-interval", "100ms",
                "--score-alpha", "0.03");
        assertTrue(up.out().contains("subnet   block  epoch"), up.out());
        state = TestnetState.read(home.resolve("testnet")).orElseThrow();
        io.cortex.sdk.Wallets outside = new io.cortex.sdk.Wallets(home.resolve("testnet").resolve("outside").resolve("wallets"));
        for (int netuid = 1; netuid <= 2; netuid++) {
            OUTSIDE_MINERS.add(outside.hotkey("sn" + netuid + "-outside-miner-1", "default").address().toString());
        }
        plan = NodeSettings.from(CortexNode.configuration(ConfigFactory.parseFile(
                home.resolve("testnet").resolve("n1.conf").toFile()))).plan();
    }

    @AfterAll
    static void down() {
        if (TestnetState.read(home.resolve("testnet")).isPresent()) {
            CliRun.of("testnet", "down");
        }
        System.clearProperty("cortex.home");
    }

    @Test
    @Order(1)
    void theSubnetsExist() {
        SubnetsReply subnets = CliRun.ok("subnet", "list", "--json").json(SubnetsReply.newBuilder()).build();
        assertEquals(2, subnets.getSubnetsCount());
        for (var s : subnets.getSubnetsList()) {
            assertEquals("compute", s.getMechanism());
            assertTrue(s.getStarted());
        }
        CliRun status = CliRun.ok("testnet", "status");
        assertEquals(3, status.out().lines().filter(l -> l.matches("n\\d .*running.*")).count(), status.out());
        // by default one miner and one validator per subnet run outside the nodes, each a process of its own
        assertEquals(4, status.out().lines().filter(l -> l.matches("sn\\d-outside-.*running.*")).count(), status.out());
    }

    @Test
    @Order(2)
    void minersEarnIncentiveInOrderOfQuality() throws Exception {
        for (int netuid = 1; netuid <= 2; netuid++) {
            int subnet = netuid;
            Map<Long, Metagraph> paid = new TreeMap<>();
            Map<String, Long> servedSince = new java.util.HashMap<>(); // block at which we first saw each outside axon
            LiveTestnet.awaitUntil(Duration.ofMinutes(3), () -> "four epochs paying the miners of subnet " + subnet + ": "
                    + paid.keySet(), () -> {
                Metagraph m = metagraph(subnet);
                // validators pay the margin over the baseline, so the weakest miners may earn nothing; scores
                // have settled once three quarters of the miners are paid
                // the outside miner starts after the nodes (its own JVM, its wallet to unlock) and is queried only
                // once its axon is served and the validators have read it; a moving average starts from 0, and
                // squaring the margin over the baseline magnifies a score not yet settled: wait 150 blocks (150
                // rounds at alpha 0.03: 99 % settled) from when its axon was first seen
                for (Neuron n : miners(m)) {
                    if (OUTSIDE_MINERS.contains(n.getHotkey()) && !n.getAxon().isEmpty()) {
                        servedSince.putIfAbsent(n.getHotkey(), m.getBlock());
                    }
                }
                if (miners(m).size() == 8 && miners(m).stream().filter(n -> n.getIncentive() > 0).count() >= 6
                        && miners(m).stream().filter(n -> OUTSIDE_MINERS.contains(n.getHotkey()))
                                .allMatch(n -> servedSince.containsKey(n.getHotkey())
                                        && m.getBlock() - servedSince.get(n.getHotkey()) >= 150)) {
                    paid.put(m.getEpochIndex(), m);
                }
                return paid.size() >= 4;
            });
            List<Metagraph> last = new ArrayList<>(paid.values()).subList(paid.size() - 3, paid.size());
            List<Neuron> miners = new ArrayList<>(miners(last.get(2)));
            miners.sort(Comparator.comparingDouble(this::quality));
            long[] incentive = new long[miners.size()];
            StringBuilder table = new StringBuilder();
            for (int i = 0; i < miners.size(); i++) {
                for (Metagraph epoch : last) {
                    String hotkey = miners.get(i).getHotkey();
                    incentive[i] += epoch.getNeuronsList().stream().filter(n -> n.getHotkey().equals(hotkey))
                            .mapToInt(Neuron::getIncentive).sum();
                }
                table.append(String.format("%n  quality %.3f incentive %6d", quality(miners.get(i)), incentive[i]));
            }
            // each miner earns more than every miner two or more quality steps below, and a neighbour at most 15 % less,
            // or 5 % of the best miner's incentive less: the best miner runs in a process of its own on the same 2
            // cores, and its answer time, part of its score, moves with the machine's load (a CI run saw it 10 % below
            // its neighbour); just above the baseline the squared margin is small and the same noise swaps neighbours
            // (a CI run saw 0.357 earn 3,592 and 0.486 earn 1,442 beside a best miner's 70,283)
            long best = java.util.Arrays.stream(incentive).max().orElse(0);
            for (int i = 1; i < miners.size(); i++) {
                assertTrue(incentive[i] >= Math.min(incentive[i - 1] * 0.85, incentive[i - 1] - best * 0.05),
                        "subnet " + netuid + ": incentive must rise with quality" + table);
                for (int j = 0; j < i - 1; j++) {
                    assertTrue(incentive[i] > incentive[j], "subnet " + netuid + ": incentive must rise with quality" + table);
                }
            }
            System.out.println("subnet " + netuid + ", summed over three paid epochs:" + table);
        }
    }

    /** The miners, hosted (in the plan) and outside (the testnet's outside wallets named *-outside-miner-*). */
    private List<Neuron> miners(Metagraph m) {
        return m.getNeuronsList().stream().filter(n -> {
            NetworkPlan.Placement p = plan.placement(Address.parse(n.getHotkey()));
            return p != null ? p.neuron().role() == NetworkPlan.Role.MINER : OUTSIDE_MINERS.contains(n.getHotkey());
        }).toList();
    }

    /** A hosted miner's quality from the plan; the outside one is the best graded of the eight (1.0). */
    private double quality(Neuron n) {
        NetworkPlan.Placement p = plan.placement(Address.parse(n.getHotkey()));
        return p != null ? p.neuron().quality() : 1.0;
    }

    @Test
    @Order(3)
    void aTransferAndAStakeMoveBalancesExactly() {
        long charlie = balance("charlie").getBalance();
        long dave = balance("dave").getBalance();
        CliRun.ok("wallet", "transfer", "--from", "charlie", "--to", "dave", "--amount", "12.345678901");
        assertEquals(charlie - 12_345_678_901L, balance("charlie").getBalance());
        assertEquals(dave + 12_345_678_901L, balance("dave").getBalance());

        BalanceReply before = balance("dave");
        CliRun stake = CliRun.ok("stake", "add", "--wallet", "dave", "--netuid", "1", "--uid", "1", "--amount", "10");
        assertTrue(stake.out().startsWith("staked 10.000000000 TAO"), stake.out());
        BalanceReply after = balance("dave");
        assertEquals(before.getBalance() - Rao.tao(10), after.getBalance());
        assertTrue(after.getStakesList().stream().anyMatch(p -> p.getNetuid() == 1 && p.getAlpha() > 0), after.toString());

        CliRun rejected = CliRun.of("wallet", "transfer", "--from", "eve", "--to", "dave", "--amount", "999999999");
        assertEquals(1, rejected.exit());
        assertTrue(rejected.err().contains("the ledger rejected the transaction"), rejected.err());
        assertEquals(1, rejected.err().lines().count(), rejected.err());
    }

    private static BalanceReply balance(String wallet) {
        return CliRun.ok("wallet", "balance", wallet, "--json").json(BalanceReply.newBuilder()).build();
    }

    @Test
    @Order(4)
    void explainAddsUpToTheRecordedPayout() {
        try (Api api = new Api(state.nodes().get(1).grpc())) {
            EpochReply epoch = api.call(api.ledger().epoch(EpochRequest.newBuilder().setNetuid(1).setEpoch(-1).build()));
            long emission = EpochJson.readInput(epoch.getInputJson().getBytes(StandardCharsets.UTF_8)).emission();
            long total = 0;
            for (int uid = 0; uid < epoch.getMinerPaidCount(); uid++) {
                ExplainReply x = CliRun.ok("explain", "--netuid", "1", "--uid", Integer.toString(uid), "--epoch",
                        Long.toString(epoch.getEpoch()), "--json").json(ExplainReply.newBuilder()).build();
                assertTrue(x.getReplayMatches());
                assertEquals(epoch.getMinerPaid(uid), x.getMinerPaid());
                assertEquals(epoch.getValidatorPaid(uid), x.getValidatorPaid());
                assertEquals(x.getMinerPaid() + x.getValidatorPaid(), x.getTotalPaid());
                if (x.getValidatorWeight() > 0) {
                    assertEquals(Rao.mulDiv(x.getValidatorPot(), x.getValidatorWeight(), x.getValidatorWeightSum()),
                            x.getValidatorPaid());
                }
                total += x.getTotalPaid();
            }
            assertEquals(emission, total + epoch.getBurned(), "what explain shows paid, plus the burn, is the emission");
        }
        CliRun human = CliRun.ok("explain", "--netuid", "1", "--uid", "1");
        assertTrue(human.out().contains("total paid to uid 1"), human.out());
    }

    @Test
    @Order(5)
    void aQueryIsAnsweredByTheTopMiners() throws Exception {
        QueryReply r = CliRun.ok("query", "--netuid", "2", "--top", "3", "--json", "3 4 5 mod 7").json(QueryReply.newBuilder()).build();
        assertEquals(3, r.getAnswersCount());
        assertEquals("1", r.getExpected());
        assertEquals("1", r.getAggregate());
        CliRun bad = CliRun.of("query", "--netuid", "2", "three");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("3 4 5 mod 1000003"), bad.err());
    }

    private static double price(String subnetShow) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("price ([0-9.]+) TAO/alpha").matcher(subnetShow);
        assertTrue(m.find(), subnetShow);
        return Double.parseDouble(m.group(1));
    }

    /** A subnet made from the command line: created, started, paid for, tuned; a hotkey registered, weights committed and revealed. */
    @Test
    @Order(5)
    void aSubnetFromTheCommandLine() throws Exception {
        CliRun created = CliRun.ok("subnet", "create", "--wallet", "eve");
        assertTrue(created.out().startsWith("created subnet 3 owned by eve"), created.out());
        CliRun.ok("subnet", "start", "--netuid", "3", "--wallet", "eve");
        String before = CliRun.ok("subnet", "show", "3").out();
        CliRun paid = CliRun.ok("subnet", "pay", "--netuid", "3", "--amount", "2.5", "--wallet", "dave");
        assertTrue(paid.out().startsWith("paid subnet 3 2.500000000 TAO"), paid.out());
        String after = CliRun.ok("subnet", "show", "3").out();
        assertTrue(before.contains("users paid 0.000000000 TAO per block"), before);
        assertFalse(after.contains("users paid 0.000000000 TAO per block"), "the payment is the subnet's demand: " + after);
        assertTrue(price(after) > price(before), "the payment bought and burned alpha: " + before + after);
        CliRun tuned = CliRun.ok("subnet", "hyperparameters", "3", "--set", "tempo=20", "--wallet", "eve");
        assertTrue(tuned.out().lines().anyMatch(l -> l.matches("tempo\\s+20\\s+owner.*")), tuned.out());
        CliRun notOwner = CliRun.of("subnet", "hyperparameters", "3", "--set", "tempo=30", "--wallet", "dave");
        assertEquals(1, notOwner.exit());
        assertTrue(notOwner.err().contains("NOT_OWNER"), notOwner.err());

        CliRun registered = CliRun.ok("register", "--netuid", "3", "--wallet", "dave");
        assertTrue(registered.out().contains("as uid 1"), registered.out());
        Metagraph m = CliRun.ok("metagraph", "--netuid", "3", "--json").json(Metagraph.newBuilder()).build();
        assertEquals(2, m.getNeuronsCount());
        assertEquals(2, m.getN());
        assertTrue(m.getCommitReveal());
        CliRun part = CliRun.ok("metagraph", "--netuid", "3", "--from-uid", "1", "--limit", "1");
        assertTrue(part.out().contains(", uids 1 to 1 of 2"), part.out());
        Metagraph one = CliRun.ok("metagraph", "--netuid", "3", "--from-uid", "1", "--limit", "1", "--json")
                .json(Metagraph.newBuilder()).build();
        assertEquals(List.of(1), one.getNeuronsList().stream().map(n -> n.getUid()).toList());

        // a validator needs a permit, which an epoch hands to the staked: stake on the new hotkey, wait for one
        CliRun.ok("stake", "add", "--wallet", "dave", "--netuid", "3", "--amount", "100");
        LiveTestnet.awaitUntil(60, "dave's hotkey gets a validator permit",
                () -> metagraph(3).getNeurons(1).getValidatorPermit());
        CliRun commit = CliRun.ok("weights", "commit", "--netuid", "3", "--wallet", "dave", "--weights", "0=1,1=0.5");
        String salt = commit.out().lines().filter(l -> l.contains("salt ")).findFirst().orElseThrow()
                .replaceAll(".*salt ", "").strip();
        // the reveal is taken in one epoch only, reveal_period epochs after the commit's; asked too early, the
        // ledger names it: then await that epoch and reveal
        CliRun revealed = reveal(salt);
        if (revealed.exit() != 0 && revealed.err().contains("REVEAL_TOO_EARLY")) {
            Matcher early = Pattern.compile("reveal in epoch (\\d+)").matcher(revealed.err());
            assertTrue(early.find(), "the refusal names the reveal's epoch: " + revealed.err());
            long revealEpoch = Long.parseLong(early.group(1));
            LiveTestnet.awaitUntil(60, "epoch " + revealEpoch + " of subnet 3, the reveal's",
                    () -> metagraph(3).getEpochIndex() >= revealEpoch);
            revealed = reveal(salt);
        }
        assertEquals(0, revealed.exit(), revealed.err());
        assertTrue(revealed.out().startsWith("revealed 2 weights"), revealed.out());
        assertEquals(1, reveal(salt).exit(), "a commit reveals once");
    }

    /** {@code cortex weights reveal} of dave's commit on subnet 3 with {@code salt}. */
    private static CliRun reveal(String salt) {
        return CliRun.of("weights", "reveal", "--netuid", "3", "--wallet", "dave", "--weights", "0=1,1=0.5", "--salt", salt);
    }

    private static Metagraph metagraph(int netuid) {
        return CliRun.ok("metagraph", "--netuid", Integer.toString(netuid), "--json").json(Metagraph.newBuilder()).build();
    }

    /** README's tour, command by command, as a user would type it in a second terminal. */
    @Test
    @Order(6)
    void theReadmeTourRuns() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> main = commands(section(readme, "## The two commands"));
        assertEquals(List.of("./cortex testnet up"), main, "README's main command");
        List<String> tour = commands(section(readme, "## A five-minute tour"));
        assertTrue(tour.size() >= 6, "the tour has its commands: " + tour);
        for (String command : tour) {
            CliRun r = CliRun.ok(words(command.substring("./cortex ".length())).toArray(String[]::new));
            assertFalse(r.out().isBlank(), command + " printed nothing");
            if (command.contains("query")) {
                // the best miners answer, and their answers come to the exact one
                assertTrue(java.util.regex.Pattern.compile("aggregate \\(.*\\): (\\S+); exact answer \\1\\b").matcher(r.out()).find(),
                        r.out());
            }
            if (command.contains("explain")) {
                assertTrue(r.out().contains("total paid to uid"), r.out());
            }
        }
    }

    static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading);
        assertTrue(start >= 0, "README has " + heading);
        int end = markdown.indexOf("\n## ", start + heading.length());
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** The {@code ./cortex} lines of the section's code blocks. */
    static List<String> commands(String section) {
        List<String> commands = new ArrayList<>();
        boolean code = false;
        for (String line : section.lines().toList()) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (code && line.startsWith("./cortex ")) {
                commands.add(line.strip());
            }
        }
        return commands;
    }

    /** Shell words: spaces separate, double quotes group. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }

    /** {@code cortex loadtest} against the running testnet: every query answered, the ledger on time meanwhile. */
    @Test
    @Order(6)
    void aLoadTestReportsRateAndPercentilesWhileTheLedgerKeepsTime() throws Exception {
        Path report = home.resolve("loadtest.json");
        CliRun run = CliRun.ok("loadtest", "--rate", "40", "--duration", "6s", "--out", report.toString());
        assertTrue(run.out().contains("latency ms (answered queries, from when each was due): p50"), run.out());
        assertTrue(run.out().lines().filter(l -> l.matches("\\s+\\d+s .*")).count() >= 4, "progress every second:\n" + run.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        long sent = json.get("sent").asLong();
        assertTrue(sent >= 40 * 6 * 8 / 10, "at least 80 % of the rate asked for was sent:\n" + run.out());
        // answered: some miner answered in time; a reply of timeouts would count as failed
        assertEquals(sent, json.get("answered").asLong(), run.out());
        assertEquals(0, json.get("unanswered").asLong(), run.out());
        assertTrue(json.get("validator_rounds").asLong() > 0, run.out());
        assertTrue(json.get("blocks_on_time").asDouble() > 0.8, "the ledger kept its block time:\n" + run.out());
        assertTrue(json.get("latency_us").get("p99").asLong() > 0 && json.get("service_us").has("p99_9"), json.toString());
        // each miner asked: its outcomes add up, and the miners answered (a round asks every miner)
        JsonNode miners = json.get("miners");
        assertTrue(miners.size() > 0, json.toString());
        for (JsonNode m : miners) {
            assertEquals(m.get("asked").asLong(), m.get("answered").asLong() + m.get("timeouts").asLong()
                    + m.get("errors").asLong(), m.toString());
        }
        assertTrue(run.out().contains("timeouts"), "the per-miner table:\n" + run.out());
        assertTrue(run.out().contains("generator: schedule lag ms p50"), run.out());
        assertEquals(0, json.get("not_sent").asLong(), run.out());
        // two generators' reports as one (here the same run twice): the counts add up
        CliRun merged = CliRun.ok("loadtest", "merge", report.toString(), report.toString());
        assertTrue(merged.out().startsWith("2 generators: 80 queries/s asked, " + 2 * sent + " sent"), merged.out());
        assertEquals(2, CliRun.of("loadtest", "--rate", "0", "--duration", "5s").exit());

        // a short ramp: a step a rate, each within a generous bound, and the curve's files
        Path curve = home.resolve("curve");
        Path curveJson = home.resolve("curve.json");
        CliRun ramp = CliRun.ok("loadtest", "--ramp", "10:20:10", "--step-duration", "2s", "--warmup", "1s", "--p99-bound", "5000",
                "--curve", curve.toString(), "--out", curveJson.toString());
        assertTrue(ramp.out().contains("knee: 20 queries/s"), ramp.out());
        List<String> steps = Files.readAllLines(curve.resolve("steps.csv"));
        assertEquals(3, steps.size(), "a header and a row a step:\n" + ramp.out());
        assertTrue(steps.get(1).startsWith("10,") && steps.get(2).startsWith("20,") && steps.get(2).endsWith(",true"),
                String.join("\n", steps));
        assertTrue(Files.readAllLines(curve.resolve("subnets.csv")).size() >= 3, "each step's subnets");
        assertTrue(Files.readAllLines(curve.resolve("miners.csv")).size() >= 3, "each step's miners");
        assertTrue(Files.readString(curve.resolve("curve.html")).contains("<svg"), "the chart");
        assertEquals(20, new ObjectMapper().readTree(curveJson.toFile()).get("knee_rate").asInt());
        assertEquals(2, CliRun.of("loadtest", "--ramp", "20:10:5").exit(), "a ramp that goes down");
        assertEquals(2, CliRun.of("loadtest", "--ramp", "10:20:10", "--rate", "50").exit(), "--ramp sets the rates itself");

        // the validator-to-miner path itself, over Aeron, signed by dave's hotkey once it holds a permit on subnet 1
        assertEquals(2, CliRun.of("loadtest", "--path", "aeron").exit(), "a validator's queries need a validator's key");
        CliRun registered = CliRun.ok("register", "--netuid", "1", "--wallet", "dave");
        Matcher uid = Pattern.compile("as uid (\\d+)").matcher(registered.out());
        assertTrue(uid.find(), registered.out());
        int daveUid = Integer.parseInt(uid.group(1));
        CliRun refused = CliRun.of("loadtest", "--path", "aeron", "--validator-wallet", "dave", "--netuid", "1",
                "--duration", "2s");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("holds no validator permit on subnet 1"), refused.err());
        CliRun.ok("stake", "add", "--wallet", "dave", "--netuid", "1", "--amount", "100");
        LiveTestnet.awaitUntil(60, "dave's hotkey gets a validator permit on subnet 1",
                () -> metagraph(1).getNeurons(daveUid).getValidatorPermit());
        Path aeronReport = home.resolve("loadtest-aeron.json");
        CliRun overAeron = CliRun.ok("loadtest", "--path", "aeron", "--validator-wallet", "dave", "--netuid", "1",
                "--rate", "40", "--duration", "4s", "--out", aeronReport.toString());
        assertTrue(overAeron.out().contains("a validator's queries to one miner each, over Aeron"), overAeron.out());
        JsonNode aeron = new ObjectMapper().readTree(aeronReport.toFile());
        long aeronSent = aeron.get("sent").asLong();
        assertTrue(aeronSent >= 40 * 4 * 8 / 10, overAeron.out());
        assertEquals(aeronSent, aeron.get("answered").asLong(), "every miner answered dave in time:\n" + overAeron.out());
        assertEquals(0, aeron.get("validator_rounds").asLong(), overAeron.out());
        assertTrue(aeron.get("miners").size() >= 4, "the miners took the queries in turn:\n" + overAeron.out());
        for (JsonNode m : aeron.get("miners")) {
            assertTrue(m.get("answered").asLong() > 0, m.toString());
        }
    }

    @Test
    @Order(7)
    void downLeavesNoProcess() throws Exception {
        CliRun down = CliRun.ok("testnet", "down");
        assertTrue(down.out().startsWith("stopped 7 processes"), down.out()); // 3 nodes, 4 outside neurons
        for (TestnetState.Outside o : state.outside()) {
            assertFalse(o.alive(), o.name() + " still runs");
        }
        for (TestnetState.Node n : state.nodes()) {
            assertFalse(ProcessHandle.of(n.pid()).map(ProcessHandle::isAlive).orElse(false), n.name() + " still runs");
        }
        assertFalse(Files.exists(home.resolve("testnet").resolve(TestnetState.FILE)));
        CliRun unreachable = CliRun.of("status");
        assertEquals(1, unreachable.exit());
        assertTrue(unreachable.err().contains("cannot reach a Cortex node"), unreachable.err());
    }
}
