package io.cortex.deploy.cli;

import io.cortex.deploy.testnet.TestnetState;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to a node shares: which node ({@code --node}, else the environment
 * variable {@code CORTEX_NODE}, else the first node of the local testnet, else 127.0.0.1:50051) and
 * whether to print JSON for scripts instead of tables.
 */
public final class Connection {
    static final String DEFAULT_NODE = "127.0.0.1:50051";

    @Option(names = "--node", paramLabel = "HOST:PORT", description = "the node's gRPC API (default: the local testnet's)")
    String node;

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
        return new Api(node());
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
