package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.cortex.actors.plan.NetworkPlan;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.Neuron;
import io.cortex.protocol.api.QueryReply;
import io.cortex.protocol.api.SubnetsReply;
import io.cortex.sharding.node.CortexNode;
import io.cortex.sharding.node.NodeSettings;
import io.cortex.subnets.SubnetMechanisms;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SUBNETS.md, step by step, on a copy of this repository's template: {@code fork.sh} makes the subnet, its
 * own test passes, its jar joins a testnet through {@code CORTEX_CLASSPATH} ({@code cortex.classpath} here,
 * in one JVM) with {@code --mechanism}, where it is listed, answers a user's query and pays its best miner
 * the most. (The guide builds with {@code mvn -pl subnets/NAME -am install}; this test compiles the same
 * sources with the JDK's compiler: a Maven run inside the suite costs half a minute, and the suite spends that
 * once only, in {@link ThirdPartyMinerTest}, where building a separate project with Maven is what is tested.)
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SubnetForkGuideTest {

    @TempDir
    Path work;

    @AfterEach
    void down() {
        CliRun.of("testnet", "down");
        System.clearProperty("cortex.home");
        System.clearProperty(SubnetMechanisms.EXTRA_CLASSPATH);
    }

    @Test
    void aForkedSubnetRunsInATestnet() throws Exception {
        // a repository as a user has it: the root pom and the template
        Path repo = work.resolve("repo");
        Path root = Path.of("..").toAbsolutePath().normalize();
        Files.createDirectories(repo.resolve("subnets"));
        Files.copy(root.resolve("pom.xml"), repo.resolve("pom.xml"));
        copy(root.resolve("subnets/template"), repo.resolve("subnets/template"));

        // 1. subnets/template/fork.sh median-race
        Process fork = new ProcessBuilder("bash", repo.resolve("subnets/template/fork.sh").toString(), "median-race",
                repo.toString()).redirectErrorStream(true).start();
        String said = new String(fork.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, fork.waitFor(), said);
        Path module = repo.resolve("subnets/median-race");
        assertTrue(Files.readString(repo.resolve("pom.xml")).contains("<module>subnets/median-race</module>"));
        assertTrue(Files.isRegularFile(module.resolve("src/main/java/io/cortex/subnets/medianrace/MedianRaceSubnet.java")), said);

        // 2. build and test it
        Path classes = compile(module.resolve("src/main/java"), module.resolve("target/classes"), List.of());
        copy(module.resolve("src/main/resources"), classes);
        Path testClasses = compile(module.resolve("src/test/java"), module.resolve("target/test-classes"), List.of(classes));
        Path jar = jar(classes, module.resolve("target/cortex-subnet-median-race.jar"));
        System.setProperty(SubnetMechanisms.EXTRA_CLASSPATH, jar.toString());
        runTests(testClasses, classes, "io.cortex.subnets.medianrace.MedianRaceSubnetTest");

        // 3. CORTEX_CLASSPATH=...jar ./cortex testnet up --mechanism median-race
        System.setProperty("cortex.home", work.resolve("home").toString());
        CliRun.ok("testnet", "up", "--detach", "--outside", "0", "--nodes", "1", "--subnets", "1", "--miners", "4", "--validators", "2",
                "--block-time", "100ms", "--tempo", "10", "--round-interval", "100ms", "--score-alpha", "0.1",
                "--mechanism", "median-race");
        SubnetsReply subnets = CliRun.ok("subnet", "list", "--json").json(SubnetsReply.newBuilder()).build();
        assertEquals("median-race", subnets.getSubnets(0).getMechanism());
        // its best miner (quality 1.0) earns the most incentive once the validators have scored the miners; they
        // pay the margin over the baseline, so the weakest may earn nothing
        NetworkPlan plan = NodeSettings.from(CortexNode.configuration(ConfigFactory.parseFile(
                work.resolve("home/testnet/n1.conf").toFile()))).plan();
        String best = plan.hotkey(plan.subnets().get(0).neurons().stream().filter(n -> n.role() == NetworkPlan.Role.MINER)
                .max(java.util.Comparator.comparingDouble(NetworkPlan.NeuronPlan::quality)).orElseThrow().name())
                .address().toString();
        Metagraph[] last = {null};
        LiveTestnet.awaitUntil(Duration.ofMinutes(2), () -> "the best miner leads in incentive: "
                + (last[0] == null ? "no metagraph" : last[0].getNeuronsList()), () -> {
            Metagraph m = CliRun.ok("metagraph", "--netuid", "1", "--json").json(Metagraph.newBuilder()).build();
            last[0] = m;
            List<Neuron> paid = m.getNeuronsList().stream().filter(n -> n.getIncentive() > 0).toList();
            return paid.size() >= 2 && paid.stream().max(java.util.Comparator.comparingInt(Neuron::getIncentive))
                    .orElseThrow().getHotkey().equals(best);
        });

        // an end user's query: the median of the numbers is 5, and the best miner, asked first, answers it
        QueryReply query = CliRun.ok("query", "--netuid", "1", "--top", "4", "--json", "5 1 9 3 7 2 8 4 6")
                .json(QueryReply.newBuilder()).build();
        assertEquals("5", query.getExpected(), query.toString());
        assertTrue(query.getAnswersList().stream().anyMatch(a -> a.getHotkey().equals(best) && a.getStatus() == 200
                && a.getAnswer().equals("5")), "the best miner answers 5: " + query);
        assertTrue(!query.getAggregate().isEmpty(), "the answers aggregate: " + query);
    }

    private static Path compile(Path sources, Path out, List<Path> extra) throws IOException {
        Files.createDirectories(out);
        List<String> files;
        try (Stream<Path> s = Files.walk(sources)) {
            files = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        StringBuilder classpath = new StringBuilder(System.getProperty("java.class.path"));
        extra.forEach(p -> classpath.append(java.io.File.pathSeparator).append(p));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString(), "-cp", classpath.toString()));
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "the fork compiles");
        return out;
    }

    /** Runs every {@code @Test} method of a test class of the fork (they are plain JUnit assertions). */
    private static void runTests(Path testClasses, Path classes, String testClass) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {testClasses.toUri().toURL(), classes.toUri().toURL()},
                SubnetForkGuideTest.class.getClassLoader())) {
            Class<?> c = loader.loadClass(testClass);
            var constructor = c.getDeclaredConstructor();
            constructor.setAccessible(true);
            int ran = 0;
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class)) {
                    m.setAccessible(true);
                    m.invoke(constructor.newInstance());
                    ran++;
                }
            }
            assertEquals(3, ran, "the template's three tests ran");
        }
    }

    private static Path jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path rel = from.relativize(p);
                if (rel.startsWith("target")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
