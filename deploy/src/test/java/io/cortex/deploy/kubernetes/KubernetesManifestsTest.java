package io.cortex.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cortex.deploy.CortexCli;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every manifest under {@code deploy/kubernetes} parsed into fabric8's Kubernetes model strictly: each document a
 * known kind, and no field the model does not know (fabric8 keeps those aside, as additional properties, where a
 * typo would otherwise pass). Then what must agree does: the nodes' pods with what cluster bootstrap looks for
 * ({@code cortex-node.conf}), their command lines with the {@code cortex} commands' options, every pod with the
 * safety rules (non-root, probes, resource requests), and README's section with the objects it says to create.
 */
class KubernetesManifestsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static List<HasMetadata> objects;

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        objects = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(MANIFESTS)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 4, "manifests in " + MANIFESTS + ": " + files);
        for (Path file : files) {
            String[] documents = Files.readString(file, StandardCharsets.UTF_8).split("(?m)^---\\s*$");
            for (String document : documents) {
                if (document.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                    continue;
                }
                Object parsed = SERIALIZATION.unmarshal(document);
                String where = file.getFileName() + ": " + document.lines().filter(l -> l.startsWith("kind:")).findFirst()
                        .orElse("(no kind)");
                assertTrue(parsed instanceof HasMetadata, where + " is not a Kubernetes object");
                assertFalse(parsed instanceof GenericKubernetesResource, where + ": a kind the Kubernetes model does not know");
                List<String> unknown = new ArrayList<>();
                unknownFields(parsed, ((HasMetadata) parsed).getKind(), unknown);
                assertEquals(List.of(), unknown, where + ": fields the model does not know");
                objects.add((HasMetadata) parsed);
            }
        }
    }

    @Test
    void theNodesFormTheirClusterAsBootstrapLooksForThem() {
        StatefulSet nodes = named(StatefulSet.class, "cortex");
        Config bootstrap = ConfigFactory.parseResources(io.cortex.sharding.node.CortexNode.class.getClassLoader(),
                "cortex-node.conf");
        Config nodeConf = ConfigFactory.parseString(named(ConfigMap.class, "cortex-node").getData().get("node.conf"));
        Config discovery = nodeConf.withFallback(bootstrap)
                .getConfig("pekko.management.cluster.bootstrap.contact-point-discovery");
        PodTemplateSpec template = nodes.getSpec().getTemplate();

        // discovery lists pods by the label app=<service-name>, in the pod's namespace, with the pod's account
        String label = String.format(bootstrap.getString("pekko.discovery.kubernetes-api.pod-label-selector"),
                discovery.getString("service-name"));
        assertEquals(label, "app=" + template.getMetadata().getLabels().get("app"));
        assertEquals(nodes.getSpec().getReplicas().intValue(), discovery.getInt("required-contact-point-nr"),
                "a cluster forms once the StatefulSet's replicas see each other");
        assertEquals("Parallel", nodes.getSpec().getPodManagementPolicy(),
                "one at a time, the first pod would wait for the others forever");
        canListPods(template.getSpec().getServiceAccountName());

        // the container port bootstrap probes is the node's operations endpoint, with its health checks
        Container node = template.getSpec().getContainers().get(0);
        int management = port(node, discovery.getString("port-name"));
        List<String> args = node.getArgs();
        assertTrue(args.contains("--ops-port=" + management), "the ops endpoint is the management port: " + args);
        assertTrue(args.contains("--cluster-bootstrap"), String.valueOf(args));
        assertTrue(args.stream().noneMatch(a -> a.startsWith("--seed-node")), "no seed nodes: " + args);
        assertEquals("/alive", node.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/ready", node.getReadinessProbe().getHttpGet().getPath());
        assertEquals(discovery.getString("port-name"), node.getReadinessProbe().getHttpGet().getPort().getStrVal());
        parses(args, Map.of("$(POD_NAME)", "cortex-0", "$(POD_IP)", "10.0.0.5"));

        // each pod binds every interface and is known by its own IP: a node must find itself among the pods
        assertTrue(args.contains("--host=0.0.0.0") && args.contains("--advertise=$(POD_IP)"), String.valueOf(args));
        assertEquals("status.podIP", env(node, "POD_IP").getValueFrom().getFieldRef().getFieldPath());

        // the StatefulSet's governing Service is headless, over the same pods
        Service headless = named(Service.class, nodes.getSpec().getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP());
        assertEquals(template.getMetadata().getLabels().get("app"), headless.getSpec().getSelector().get("app"));

        // the journal is PostgreSQL, its password from the Secret through an environment variable
        assertEquals("postgres", nodeConf.getString("cortex.ledger.store"));
        assertEquals("from the Secret", nodeConf.withFallback(ConfigFactory.parseMap(Map.of("CORTEX_POSTGRES_PASSWORD",
                "from the Secret"))).resolve().getString("cortex.ledger.postgres.password"));
        Matcher reference = Pattern.compile("password = \\$\\{(\\w+)}").matcher(
                named(ConfigMap.class, "cortex-node").getData().get("node.conf"));
        assertTrue(reference.find(), "node.conf takes the journal's password from the environment");
        EnvVar password = env(node, reference.group(1));
        assertEquals("cortex-postgres", password.getValueFrom().getSecretKeyRef().getName());
        Container postgres = named(StatefulSet.class, "postgres").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(password.getValueFrom().getSecretKeyRef(), env(postgres, "POSTGRES_PASSWORD").getValueFrom().getSecretKeyRef());
        assertTrue(nodeConf.getString("cortex.ledger.postgres.url").contains("//" + named(Service.class, "postgres")
                .getMetadata().getName() + ":5432/"), nodeConf.getString("cortex.ledger.postgres.url"));
    }

    @Test
    void theMinersRunTheCommandsTheScriptNames() {
        Deployment miners = named(Deployment.class, "cortex-miner");
        Container miner = miners.getSpec().getTemplate().getSpec().getContainers().get(0);
        String script = String.join("\n", miner.getArgs()).replace("\\\n", " ");
        List<String> commands = script.lines().map(String::strip).filter(l -> l.matches("(exec )?cortex .*")).toList();
        assertEquals(2, commands.size(), script);
        for (String command : commands) {
            String substituted = command.replaceFirst("^exec ", "").replaceFirst("^cortex ", "")
                    .replace("\"", "").replace("$POD_NAME", "cortex-miner-5d9c7-x2k4q").replace("$POD_IP", "10.0.0.9")
                    .replace("$NETUID", env(miner, "NETUID").getValue()).replace("$MECHANISM", env(miner, "MECHANISM").getValue());
            assertFalse(substituted.contains("$"), "a variable the test does not know: " + substituted);
            parses(Arrays.asList(substituted.split("\\s+")), Map.of());
        }
        assertTrue(script.contains("--axon-advertise \"$POD_IP:40000\""), script);
        assertEquals(40000, port(miner, "axon"));
        assertEquals(9100, port(miner, "metrics"));
    }

    @Test
    void everyPodRunsUnprivilegedWithProbesAndRequests() {
        for (HasMetadata object : objects) {
            PodSpec pod = object instanceof StatefulSet s ? s.getSpec().getTemplate().getSpec()
                    : object instanceof Deployment d ? d.getSpec().getTemplate().getSpec() : null;
            if (pod == null) {
                continue;
            }
            String name = object.getKind() + " " + object.getMetadata().getName();
            assertTrue(pod.getSecurityContext().getRunAsNonRoot(), name + " runs as non-root");
            assertTrue(pod.getSecurityContext().getRunAsUser() > 0, name);
            for (Container c : pod.getContainers()) {
                assertNotNull(c.getImage(), name);
                Probe alive = c.getLivenessProbe();
                assertNotNull(alive, name + " has a liveness probe");
                assertTrue(c.getReadinessProbe() != null || object instanceof Deployment, name + " has a readiness probe");
                assertNotNull(c.getResources().getRequests().get("cpu"), name + " requests CPU");
                assertNotNull(c.getResources().getRequests().get("memory"), name + " requests memory");
                assertNotNull(c.getResources().getLimits().get("memory"), name + " limits memory");
                assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation(), name);
                assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), name);
                if (c.getImage().startsWith("cortex:")) {
                    // read-only but for what a Cortex JVM writes: its temporary files, Aeron's buffers, CORTEX_HOME
                    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem(), name);
                    List<String> mounted = c.getVolumeMounts().stream().map(v -> v.getMountPath()).toList();
                    assertTrue(mounted.containsAll(List.of("/tmp", "/dev/shm", "/var/lib/cortex")), name + ": " + mounted);
                    Volume aeron = pod.getVolumes().stream().filter(v -> c.getVolumeMounts().stream().anyMatch(m ->
                            m.getMountPath().equals("/dev/shm") && m.getName().equals(v.getName()))).findFirst().orElseThrow();
                    assertEquals("Memory", aeron.getEmptyDir().getMedium(), name + ": Aeron's buffers in memory");
                }
            }
        }
    }

    @Test
    void readmeCreatesWhatTheManifestsReferToAndTheImageOpensWhatAeronReads() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains("## Run it on Kubernetes"), "README has the section");
        List<String> referred = new ArrayList<>();
        for (HasMetadata object : objects) {
            PodSpec pod = object instanceof StatefulSet s ? s.getSpec().getTemplate().getSpec()
                    : object instanceof Deployment d ? d.getSpec().getTemplate().getSpec() : null;
            if (pod == null) {
                continue;
            }
            for (Volume v : pod.getVolumes()) {
                if (v.getConfigMap() != null && objects.stream().noneMatch(o -> o instanceof ConfigMap
                        && o.getMetadata().getName().equals(v.getConfigMap().getName()))) {
                    referred.add("configmap " + v.getConfigMap().getName());
                }
                if (v.getSecret() != null) {
                    referred.add("secret generic " + v.getSecret().getSecretName());
                }
            }
            pod.getContainers().stream().flatMap(c -> c.getEnv().stream())
                    .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .forEach(e -> referred.add("secret generic " + e.getValueFrom().getSecretKeyRef().getName()));
        }
        assertTrue(referred.contains("configmap cortex-chain"), String.valueOf(referred));
        for (String object : referred.stream().distinct().toList()) {
            assertTrue(Pattern.compile("kubectl (-n \\S+ )?create " + Pattern.quote(object) + " ").matcher(readme).find(),
                    "README says how to create " + object);
        }
        for (HasMetadata object : objects) {
            if (object instanceof StatefulSet || object instanceof Deployment) {
                String image = (object instanceof StatefulSet s ? s.getSpec().getTemplate() : ((Deployment) object).getSpec()
                        .getTemplate()).getSpec().getContainers().get(0).getImage();
                assertTrue(image.startsWith("postgres:") || readme.contains("docker build -t " + image + " ."),
                        "README builds the image " + image);
            }
        }

        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"), StandardCharsets.UTF_8);
        Matcher user = Pattern.compile("(?m)^USER (\\d+)").matcher(dockerfile);
        assertTrue(user.find() && Integer.parseInt(user.group(1)) > 0, "the image runs as a non-root user");
        assertTrue(Files.readString(MANIFESTS.resolve("cortex.sh")).contains(
                "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED"), "the image's cortex opens what Aeron reads");
    }

    /** Parses {@code cortex ARGS} as the command line would, without running it: every option exists, every value fits. */
    private static void parses(List<String> args, Map<String, String> values) {
        String[] words = args.stream().map(a -> {
            String v = a;
            for (Map.Entry<String, String> e : values.entrySet()) {
                v = v.replace(e.getKey(), e.getValue());
            }
            return v;
        }).toArray(String[]::new);
        try {
            CortexCli.commandLine().parseArgs(words);
        } catch (CommandLine.ParameterException e) {
            fail("cortex " + String.join(" ", words) + ": " + e.getMessage());
        }
    }

    private static void canListPods(String serviceAccount) {
        RoleBinding binding = objects.stream().filter(RoleBinding.class::isInstance).map(RoleBinding.class::cast)
                .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount")
                        && s.getName().equals(serviceAccount)))
                .findFirst().orElseThrow(() -> new AssertionError("no RoleBinding for " + serviceAccount));
        Role role = named(Role.class, binding.getRoleRef().getName());
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("pods") && r.getVerbs().contains("list")),
                "the nodes' account may list pods");
    }

    private static int port(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("container " + c.getName() + " has no port named " + name));
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("container " + c.getName() + " has no variable " + name));
    }

    private static <T extends HasMetadata> T named(Class<T> kind, String name) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
    }

    /**
     * Walks the model's objects below {@code value} and names each field fabric8 kept aside as an additional
     * property: a field its model of that kind does not have.
     */
    private static void unknownFields(Object value, String path, List<String> unknown) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else if (!Objects.equals(field, value)) {
                unknownFields(field, path + "." + getter.getName().substring(3), unknown);
            }
        }
    }
}
