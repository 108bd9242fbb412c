package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.cli.Api;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.Neuron;
import io.cortex.core.identity.Keypair;
import io.cortex.core.identity.WalletFile;
import io.cortex.protocol.tls.TlsFiles;
import io.cortex.sdk.Tls;
import io.cortex.sdk.Wallets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's multi-host test: a network outside dev mode on five hosts. Three nodes sit in three network
 * namespaces joined by a bridge on a private subnet the test makes (and removes); an outside miner runs in a
 * fourth and an outside validator in a fifth, each with keys made by {@code cortex wallet create} in its own
 * home. The chain spec comes from {@code cortex network init} (no dev keys), the subnet from its owner's own
 * wallet. Every listener binds its namespace's address; gRPC is TLS with a certificate the clients verify.
 * Within 5 epochs of both neurons serving, the miner earns incentive and the validator dividends, and no
 * node's files, logs, process arguments or environment hold either neuron's private keys.
 *
 * <p>It needs root and {@code ip netns}; elsewhere it is skipped, saying why, except under {@code .ci/run}
 * (which sets {@code CORTEX_CI}), where it fails.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class MultiHostTest {
    private static final int NETUID = 1;
    private static final String PASSWORD = "multi host password";

    @TempDir
    Path work;

    private final String id = String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
    private final String subnet = "10.213." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
    private final String bridge = "cxbr" + id;
    private final List<String> namespaces = new ArrayList<>();
    private boolean bridgeMade;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    @AfterEach
    void tearDown() throws Exception {
        // gracefully first, in testnet down's order, so that each process removes its Aeron directory under /dev/shm:
        // the neurons, the nodes but n1, then n1; what is still running after that is killed
        List<Process> nodes = new ArrayList<>();
        List<Process> neurons = new ArrayList<>();
        processes.forEach((name, p) -> (name.matches("n\\d+") ? nodes : neurons).add(p));
        Testnet.terminate(handles(neurons), Duration.ofSeconds(10));
        Testnet.terminate(handles(nodes.subList(Math.min(1, nodes.size()), nodes.size())), Duration.ofSeconds(15));
        Testnet.terminate(handles(nodes.subList(0, Math.min(1, nodes.size()))), Duration.ofSeconds(15));
        for (Map.Entry<String, Process> p : processes.entrySet()) {
            p.getValue().descendants().forEach(ProcessHandle::destroyForcibly);
            p.getValue().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (String ns : namespaces) {
            run("ip", "netns", "del", ns);
        }
        if (bridgeMade) {
            run("ip", "link", "del", bridge);
        }
        System.clearProperty("cortex.home");
    }

    @Test
    void outsideNeuronsEarnOnANetworkOfFiveHosts() throws Exception {
        String why = unsupported();
        if (why != null) {
            // CI runs as root (.ci/run sets CORTEX_CI): there a missing capability is a failure, not a skip
            assertTrue(System.getenv("CORTEX_CI") == null, "MultiHostTest cannot run in CI: " + why);
            System.out.println("MultiHostTest skipped: " + why);
            Assumptions.abort(why);
        }
        String[] host = new String[6];
        String[] ns = new String[6];
        for (int i = 1; i <= 5; i++) {
            ns[i] = "cx" + id + "-" + i;
            host[i] = subnet + i;
        }
        network(ns, host);

        // the keys: an owner (sudo) in the test's own home, a miner and a validator in homes of their own
        Path ownerHome = work.resolve("owner-home");
        Path minerHome = work.resolve("miner-home");
        Path validatorHome = work.resolve("validator-home");
        Path password = work.resolve("password");
        Files.writeString(password, PASSWORD + "\n", StandardCharsets.UTF_8);
        String owner = walletCreate(ownerHome, "owner", password);
        String miner = walletCreate(minerHome, "miner", password);
        String validator = walletCreate(validatorHome, "validator", password);

        // genesis outside dev mode, and a TLS pair naming the three nodes
        Path chain = work.resolve("chain.json");
        System.setProperty("cortex.home", ownerHome.toString());
        CliRun.ok("network", "init", "--out", chain.toString(), "--network-id", "multi-host", "--sudo", owner,
                "--balance", owner + "=100000", "--balance", miner + "=1000", "--balance", validator + "=5000");
        Path cert = work.resolve("tls").resolve("cert.pem");
        TlsFiles.selfSigned(cert, work.resolve("tls").resolve("key.pem"), List.of(host[1], host[2], host[3]),
                Duration.ofDays(1));

        List<String> grpc = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            grpc.add(host[i] + ":50051");
            startNode(i, ns[i], host[i], host[1], chain, cert);
        }
        for (int i = 1; i <= 3; i++) {
            awaitLog(work.resolve("n" + i).resolve("node.log"), "node n" + i + " up:", processes.get("n" + i));
        }
        String nodes = String.join(",", grpc);

        // the owner makes the subnet from its own wallet, with a 20-block tempo (2 s epochs)
        String[] at = {"--node", grpc.get(0), "--tls-cert", cert.toString(), "--password-file", password.toString()};
        CliRun.ok(concat(new String[] {"subnet", "create", "--wallet", "owner"}, at));
        CliRun.ok(concat(new String[] {"subnet", "start", "--netuid", "1", "--wallet", "owner"}, at));
        // the owner's hotkey (uid 0) holds a permit and more alpha than the validator buys, and sets no weights:
        // while it is active, consensus on the miner stays under kappa and nobody earns. Active means within
        // activity_cutoff_factor_milli/1000 tempos of registering: 3 tempos here, not the default 13.9
        for (String p : List.of("tempo=20", "weights_rate_limit=5", "immunity_period=100",
                "activity_cutoff_factor_milli=3000")) {
            CliRun.ok(concat(new String[] {"subnet", "hyperparameters", "1", "--set", p, "--wallet", "owner"}, at));
        }

        startNeuron("miner", ns[4], minerHome, "miner", "run", "--wallet", "miner", "--netuid", "1", "--mechanism", "compute",
                "--axon-bind", "0.0.0.0:40000", "--axon-advertise", host[4] + ":40000", "--node", nodes,
                "--tls-cert", cert.toString(), "--password-file", password.toString());
        startNeuron("validator", ns[5], validatorHome, "validator", "run", "--wallet", "validator", "--netuid", "1",
                "--mechanism", "compute",
                "--axon-bind", "0.0.0.0:40000", "--axon-advertise", host[5] + ":40000", "--node", nodes,
                "--tls-cert", cert.toString(), "--password-file", password.toString(), "--stake", "2000",
                "--round-interval", "100");

        Keypair minerHotkey = new Wallets(minerHome.resolve("wallets")).hotkey("miner", Wallets.DEFAULT_HOTKEY);
        Keypair validatorHotkey = new Wallets(validatorHome.resolve("wallets")).hotkey("validator", Wallets.DEFAULT_HOTKEY);
        try (Api api = new Api(grpc.get(1), Tls.trusting(cert))) {
            long[] serving = {-1};
            Neuron[] last = new Neuron[2];
            Metagraph earning = LiveTestnet.awaitValue(Duration.ofMinutes(3), () -> "the outside miner earning incentive "
                    + "and the outside validator dividends (both serving since epoch " + serving[0] + "): miner " + last[0]
                    + ", validator " + last[1] + "\nminer:\n" + log("miner") + "\nvalidator:\n" + log("validator"), () -> {
                Metagraph graph = api.call(api.ledger().subnet(NetuidRequest.newBuilder().setNetuid(NETUID).build()))
                        .getMetagraph();
                Neuron m = find(graph, minerHotkey).orElse(null);
                Neuron v = find(graph, validatorHotkey).orElse(null);
                last[0] = m;
                last[1] = v;
                if (serving[0] < 0 && m != null && v != null && !m.getAxon().isEmpty() && !v.getAxon().isEmpty()) {
                    serving[0] = graph.getEpochIndex();
                }
                if (m != null && v != null && m.getIncentive() > 0 && v.getDividends() > 0) {
                    return graph;
                }
                for (String name : List.of("miner", "validator")) {
                    assertTrue(processes.get(name).isAlive(), name + " exited:\n" + log(name));
                }
                return null;
            });
            System.out.println("MultiHostTest: both serving at epoch " + serving[0] + ", both earning at epoch "
                    + earning.getEpochIndex());
            assertTrue(serving[0] >= 0 && earning.getEpochIndex() - serving[0] <= 5, "within 5 epochs of both serving: "
                    + "serving at epoch " + serving[0] + ", earning at " + earning.getEpochIndex() + "; stakes (rao) "
                    + earning.getNeuronsList().stream().map(n -> n.getUid() + "=" + n.getStake()).toList() + "\nminer:\n"
                    + log("miner") + "\nvalidator:\n" + log("validator"));
            Neuron m = find(earning, minerHotkey).orElseThrow();
            Neuron v = find(earning, validatorHotkey).orElseThrow();
            String logs = "\nminer:\n" + log("miner") + "\nvalidator:\n" + log("validator");
            assertTrue(m.getIncentive() > 0, "the outside miner earns incentive: " + m + logs);
            assertTrue(v.getDividends() > 0, "the outside validator's weights count: " + v + logs);
            assertTrue(m.getAxon().equals("aeron:udp?endpoint=" + host[4] + ":40000"), "the advertised axon: " + m.getAxon());
            assertTrue(!m.getHosted() && !v.getHosted(), "neither is hosted");
        }

        // no node holds either neuron's private keys: not in its files, logs, arguments or environment
        Map<String, Keypair> secrets = new LinkedHashMap<>();
        Wallets.Passwords fromFile = new Wallets.Passwords(password);
        secrets.put("miner coldkey", new Wallets(minerHome.resolve("wallets")).coldkey("miner", fromFile));
        secrets.put("miner hotkey", minerHotkey);
        secrets.put("validator coldkey", new Wallets(validatorHome.resolve("wallets")).coldkey("validator", fromFile));
        secrets.put("validator hotkey", validatorHotkey);
        for (int i = 1; i <= 3; i++) {
            Process node = processes.get("n" + i);
            List<byte[]> places = new ArrayList<>();
            try (Stream<Path> files = Files.walk(work.resolve("n" + i))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    places.add(Files.readAllBytes(f));
                }
            }
            places.add(Files.readAllBytes(Path.of("/proc", Long.toString(node.pid()), "cmdline")));
            places.add(Files.readAllBytes(Path.of("/proc", Long.toString(node.pid()), "environ")));
            for (Map.Entry<String, Keypair> s : secrets.entrySet()) {
                for (byte[] needle : forms(s.getValue())) {
                    for (byte[] haystack : places) {
                        assertTrue(indexOf(haystack, needle) < 0, "node n" + i + " holds the " + s.getKey());
                    }
                }
            }
        }
    }

    /** Null when the runner can make network namespaces; else why not. */
    private static String unsupported() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root (network namespaces need it)";
        }
        String probe = "cxprobe" + ProcessHandle.current().pid();
        try {
            if (run("ip", "netns", "add", probe) != 0) {
                return "ip netns does not work here";
            }
        } catch (IOException e) {
            return "no ip command (iproute2): " + e.getMessage();
        }
        run("ip", "netns", "del", probe);
        return null;
    }

    /** The bridge (with the host's address .254) and one namespace per host on it, each with a veth. */
    private void network(String[] ns, String[] host) throws Exception {
        check("ip", "link", "add", bridge, "type", "bridge");
        bridgeMade = true;
        check("ip", "addr", "add", subnet + "254/24", "dev", bridge);
        check("ip", "link", "set", bridge, "up");
        for (int i = 1; i <= 5; i++) {
            check("ip", "netns", "add", ns[i]);
            namespaces.add(ns[i]);
            String inside = "cx" + id + "v" + i;
            String outside = "cx" + id + "b" + i;
            check("ip", "link", "add", inside, "type", "veth", "peer", "name", outside);
            check("ip", "link", "set", inside, "netns", ns[i]);
            check("ip", "link", "set", outside, "master", bridge, "up");
            check("ip", "netns", "exec", ns[i], "ip", "addr", "add", host[i] + "/24", "dev", inside);
            check("ip", "netns", "exec", ns[i], "ip", "link", "set", inside, "up");
            check("ip", "netns", "exec", ns[i], "ip", "link", "set", "lo", "up");
        }
    }

    private void startNode(int i, String ns, String host, String seed, Path chain, Path cert) throws IOException {
        Path dir = work.resolve("n" + i);
        Files.createDirectories(dir);
        Path config = dir.resolve("node.conf");
        Files.writeString(config, "cortex.network.block-time = 100ms\n"
                + "cortex.network.subnets = []\n"
                + "cortex.node.min-nodes = 3\n"
                + "cortex.ledger.h2.directory = \"" + dir.resolve("ledger") + "\"\n", StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        command.addAll(Testnet.javaCommand("-Xmx384m"));
        command.addAll(List.of(io.cortex.deploy.CortexCli.class.getName(), "node", "--name", "n" + i, "--config",
                config.toString(), "--chain", chain.toString(), "--host", host, "--port", "25520", "--grpc-port", "50051",
                "--seed-node", seed + ":25520", "--tls-cert", cert.toString(), "--tls-key",
                cert.resolveSibling("key.pem").toString()));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile());
        b.environment().put("CORTEX_HOME", dir.resolve("home").toString());
        processes.put("n" + i, b.start());
    }

    /** These processes and what they started. */
    private static List<ProcessHandle> handles(List<Process> group) {
        return group.stream()
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p.toHandle()), p.descendants()))
                .toList();
    }

    private void startNeuron(String name, String ns, Path home, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        command.addAll(Testnet.javaCommand("-Xmx256m"));
        command.add(io.cortex.deploy.CortexCli.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        b.environment().put("CORTEX_HOME", home.toString());
        b.environment().remove("CORTEX_PASSWORD");
        processes.put(name, b.start());
    }

    /** {@code cortex wallet create NAME} in {@code home}; the coldkey's address. */
    private static String walletCreate(Path home, String name, Path password) {
        System.setProperty("cortex.home", home.toString());
        CliRun.ok("wallet", "create", name, "--password-file", password.toString());
        return new Wallets(home.resolve("wallets")).coldkeyAddress(name).toString();
    }

    private String log(String name) {
        try {
            return Files.readString(work.resolve(name + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits up to 90 s for {@code marker} in the log of process {@code p}; fails sooner if it exits. */
    private static void awaitLog(Path log, String marker, Process p) throws InterruptedException {
        LiveTestnet.awaitUntil(Duration.ofSeconds(90), () -> "'" + marker + "' in " + log + ":\n" + text(log), () -> {
            if (text(log).contains(marker)) {
                return true;
            }
            assertTrue(p.isAlive(), "exited while starting:\n" + text(log));
            return false;
        });
    }

    /** The file's text; empty while it does not exist yet. */
    private static String text(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The forms a private key could take in a file: its seed raw, in hex (either case) and in base64. */
    private static List<byte[]> forms(Keypair keys) {
        String hex = WalletFile.backup(keys).substring(2).toLowerCase(Locale.ROOT);
        byte[] seed = HexFormat.of().parseHex(hex);
        return List.of(seed, hex.getBytes(StandardCharsets.US_ASCII),
                hex.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().encodeToString(seed).getBytes(StandardCharsets.US_ASCII));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Optional<Neuron> find(Metagraph graph, Keypair hotkey) {
        return graph.getNeuronsList().stream().filter(n -> n.getHotkey().equals(hotkey.address().toString())).findFirst();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void check(String... command) throws Exception {
        int exit = run(command);
        if (exit != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + exit);
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
