package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cortex.deploy.cli.Api;
import io.cortex.deploy.cli.Wallets;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.Neuron;
import io.cortex.core.identity.Address;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK as a third party uses it: {@code examples/third-party-miner}, a Maven project of its own that knows
 * Cortex only as the {@code io.cortex:cortex-sdk} artifact, builds against this build's jars once they are in the
 * local repository (as {@code mvn install} of this repository puts them), and its miner joins a testnet with a
 * wallet made by {@code cortex wallet create}: its own model answers the compute subnet's tasks, it registers,
 * serves its axon and earns incentive, and SIGTERM stops it.
 *
 * <p>Maven runs inside the suite here, once, because building a separate project against the installed SDK is
 * the behaviour under test; it resolves what the example needs from the local repository, which this build has
 * filled.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ThirdPartyMinerTest {
    private static final int NETUID = 1;
    private static final String WALLET = "thirdparty";
    /** The reactor's artifacts the SDK needs, in build order: the parent pom, then each module the SDK depends on. */
    private static final List<String> SDK_ARTIFACTS = List.of(".", "core", "protocol", "ledger", "ledger-actor", "subnets", "actors", "sdk");
    private static final Duration EARN_WITHIN = Duration.ofSeconds(120); // 2 s epochs: many epochs of slack

    @TempDir
    Path home;

    @AfterEach
    void down() {
        CliRun.of("testnet", "down");
        System.clearProperty("cortex.home");
    }

    @Test
    void aMinerBuiltAgainstTheSdkAloneRegistersServesAndEarns() throws Exception {
        System.setProperty("cortex.home", home.toString()); // first: the testnet down after the test is this one's
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path example = repo.resolve("examples/third-party-miner");
        installSdk(repo);
        // clean first: a jar left by an earlier build keeps its manifest class path, so new dependencies go missing
        maven(home, "-f", example.resolve("pom.xml").toString(), "clean", "package");
        Path jar = example.resolve("target/third-party-miner.jar");
        assertTrue(Files.isRegularFile(jar), "the example builds its jar");

        CliRun.ok("testnet", "up", "--detach", "--outside", "0", "--nodes", "1", "--subnets", "1", "--miners", "2", "--validators", "1",
                "--block-time", "100ms", "--tempo", "20", "--round-interval", "100ms");
        TestnetState state = TestnetState.read(home.resolve("testnet")).orElseThrow();
        String node = state.nodes().get(0).grpc();
        Path password = Files.writeString(home.resolve("password"), "correct horse battery staple\n", StandardCharsets.UTF_8);
        CliRun.ok("wallet", "create", WALLET, "--password-file", password.toString());
        CliRun.ok("wallet", "transfer", "--from", "alice", "--to", WALLET, "--amount", "100");
        Address hotkey = new Wallets(home.resolve("wallets")).hotkey(WALLET, Wallets.DEFAULT_HOTKEY).address();

        List<String> args = new ArrayList<>(List.of("--wallet", WALLET, "--netuid", Integer.toString(NETUID),
                "--node", node, "--password-file", password.toString()));
        state.certificateFor(node).ifPresent(cert -> args.addAll(List.of("--tls-cert", cert.toString())));
        try (CortexProcess miner = CortexProcess.jar(home, home.resolve("miner.log"), jar, args.toArray(String[]::new))) {
            Neuron me = awaitIncentive(node, hotkey, miner);

            assertTrue(me != null && me.getIncentive() > 0, "the third-party miner earns incentive: " + me
                    + "\n" + miner.output());
            assertFalse(me.getAxon().isEmpty(), "it serves its axon");
            assertFalse(me.getHosted(), "its keys are its own");
            assertEquals(143, miner.terminate(Duration.ofSeconds(20)), "it stops on SIGTERM:\n" + miner.output());
            assertTrue(miner.output().matches("(?s).*stopped after answering [1-9][0-9]* tasks.*"),
                    "its own model answered:\n" + miner.output());
            assertFalse(miner.output().contains("Exception"), "no exception:\n" + miner.output());
        }
    }

    /** The miner's neuron once it earns incentive; fails after {@link #EARN_WITHIN}, or as soon as the miner exits. */
    private static Neuron awaitIncentive(String node, Address hotkey, CortexProcess miner) throws InterruptedException {
        Neuron[] me = {null};
        try (Api api = new Api(node)) {
            return LiveTestnet.awaitValue(EARN_WITHIN, () -> "the third-party miner earning incentive: " + me[0]
                    + "\n" + miner.output(), () -> {
                me[0] = api.call(api.ledger().subnet(NetuidRequest.newBuilder().setNetuid(NETUID).build())).getMetagraph()
                        .getNeuronsList().stream().filter(n -> n.getHotkey().equals(hotkey.toString())).findFirst()
                        .orElse(null);
                if (me[0] != null && me[0].getIncentive() > 0) {
                    return me[0];
                }
                assertTrue(miner.process.isAlive(), "the miner exited:\n" + miner.output());
                return null;
            });
        }
    }

    /**
     * Puts the SDK's jars and poms, as this build made them, into the local repository: what {@code mvn install}
     * of this repository does for them, in one Maven run (an {@code install-file} per artifact).
     */
    private void installSdk(Path repo) throws IOException, InterruptedException {
        StringBuilder executions = new StringBuilder();
        for (String module : SDK_ARTIFACTS) {
            Path dir = repo.resolve(module).normalize();
            Path file = dir.resolve("pom.xml");
            if (!module.equals(".")) {
                try (Stream<Path> jars = Files.list(dir.resolve("target"))) {
                    file = jars.filter(j -> j.getFileName().toString().matches("cortex-.*-SNAPSHOT\\.jar")).findFirst()
                            .orElseThrow(() -> new AssertionError(dir + " has no jar: build it first (mvn package)"));
                }
            }
            executions.append("""
                    <execution><id>%s</id><phase>validate</phase><goals><goal>install-file</goal></goals>
                      <configuration><file>%s</file><pomFile>%s</pomFile></configuration></execution>
                    """.formatted(dir.getFileName(), file, dir.resolve("pom.xml")));
        }
        Path pom = Files.writeString(home.resolve("install-sdk.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                  <groupId>io.cortex.test</groupId><artifactId>install-sdk</artifactId><version>1</version>
                  <packaging>pom</packaging>
                  <build><plugins><plugin>
                    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-install-plugin</artifactId>
                    <version>3.1.3</version><executions>%s</executions>
                  </plugin></plugins></build>
                </project>
                """.formatted(executions), StandardCharsets.UTF_8);
        maven(home, "-f", pom.toString(), "validate");
    }

    /** Runs Maven (batch mode, quiet) and insists on success; skips the test where there is no Maven. */
    private static void maven(Path workDir, String... args) throws IOException, InterruptedException {
        Path mvn = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, "mvn")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(mvn != null, "no mvn on the PATH: the example cannot be built here");
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-q"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, "maven", ".log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("maven took over 4 minutes: " + String.join(" ", command));
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
}
