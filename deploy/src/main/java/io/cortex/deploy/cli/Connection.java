package io.cortex.deploy.cli;

import io.cortex.deploy.testnet.TestnetState;
import io.cortex.sdk.Tls;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to a node shares: which node ({@code --node}, else the environment
 * variable {@code CORTEX_NODE}, else the first node of the local testnet, else 127.0.0.1:50051), which
 * certificate to verify it against ({@link #tls}), and whether to print JSON for scripts instead of tables.
 */
public final class Connection {
    static final String DEFAULT_NODE = "127.0.0.1:50051";

    @Option(names = "--node", paramLabel = "HOST:PORT", description = "the node's gRPC API (default: the local testnet's)")
    String node;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "verify the node's TLS certificate against this one "
            + "(default: $CORTEX_TLS_CERT, else the local testnet's own for its nodes, else plain text)")
    Path tlsCert;

    @Option(names = "--json", description = "print JSON instead of tables")
    boolean json;

    /** The node's address, resolved as the class comment says. */
    public String node() {
        if (node != null) {
            return checked(node);
        }
        String env = System.getenv("CORTEX_NODE");
        if (env != null && !env.isBlank()) {
            return checked(env.trim());
        }
        Optional<TestnetState> testnet = TestnetState.read(Home.testnet());
        return testnet.map(t -> t.nodes().get(0).grpc()).orElse(DEFAULT_NODE);
    }

    public Api open() {
        String node = node();
        return new Api(node, tlsCert != null ? Tls.trusting(tlsCert) : tls(node));
    }

    /**
     * How to talk to {@code node} when no certificate is given: trusting {@code CORTEX_TLS_CERT}, else the local
     * testnet's certificate when the node is one of its nodes, else in plain text.
     */
    public static Tls tls(String node) {
        String env = System.getenv("CORTEX_TLS_CERT");
        if (env != null && !env.isBlank()) {
            return Tls.trusting(Path.of(env.trim()));
        }
        return TestnetState.read(Home.testnet()).flatMap(t -> t.certificateFor(node)).map(Tls::trusting)
                .orElse(Tls.PLAINTEXT);
    }

    public boolean json() {
        return json;
    }

    static String checked(String hostPort) {
        if (!hostPort.matches("[\\w.\\-]+:\\d{1,5}")) {
            throw new IllegalArgumentException("--node wants HOST:PORT, got '" + hostPort + "'");
        }
        return hostPort;
    }
}
