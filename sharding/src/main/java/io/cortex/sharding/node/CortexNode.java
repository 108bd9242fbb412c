package io.cortex.sharding.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.cortex.actors.neuron.NonceCounter;
import io.cortex.actors.neuron.SubnetActor;
import io.cortex.ledger.actor.EpochArchive;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.protocol.tls.TlsFiles;
import io.cortex.sharding.api.ApiServer;
import io.cortex.sharding.api.LedgerService;
import io.cortex.sharding.api.NetworkService;
import io.cortex.sharding.ledger.Genesis;
import io.cortex.sharding.ledger.LedgerProxy;
import io.cortex.sharding.ledger.NodeMetagraphs;
import io.cortex.sharding.ledger.LedgerStandby;
import io.cortex.sharding.ledger.LedgerStore;
import io.cortex.sharding.neurons.FirstSpread;
import io.cortex.sharding.neurons.NeuronEntities;
import io.cortex.sharding.ops.BlockHistory;
import io.cortex.sharding.ops.JournalProbe;
import io.cortex.sharding.ops.MinerStatsService;
import io.cortex.sharding.ops.NodeMetrics;
import io.cortex.sharding.ops.NodeOps;
import io.cortex.sharding.ops.OpsServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * One Cortex node (ARCHITECTURE.md section 2): an actor system in the cluster, its Aeron query transport,
 * the three sharded entity types, and the ledger singleton (which runs on the oldest node; every node holds
 * a proxy), started from the node's chain spec. The ledger's ticks start the hosted neurons, once
 * {@code cortex.node.min-nodes} nodes are up ({@link FirstSpread}). Coordinated shutdown leaves the cluster, then
 * closes the transport, which deletes its Aeron directory.
 */
public final class CortexNode implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CortexNode.class);

    /** The actor system's name; seed node addresses must carry it. */
    public static final String SYSTEM_NAME = "cortex";
    /**
     * How long the node's neurons read a subnet's metagraph from what the ledger last pushed before asking the ledger
     * again: a push comes after every epoch and every block that registers a neuron or serves an axon.
     */
    static final Duration METAGRAPH_MAX_AGE = Duration.ofSeconds(5);

    private final ActorSystem<Void> system;
    private final QueryTransport transport;
    private final NodeSettings settings;
    private final LedgerProxy ledger;
    private final NeuronEntities neurons;
    private final String grpcAddress;
    private final String opsAddress;

    private CortexNode(ActorSystem<Void> system, QueryTransport transport, NodeSettings settings, LedgerProxy ledger,
                       NeuronEntities neurons, String grpcAddress, String opsAddress) {
        this.grpcAddress = grpcAddress;
        this.opsAddress = opsAddress;
        this.system = system;
        this.transport = transport;
        this.settings = settings;
        this.ledger = ledger;
        this.neurons = neurons;
    }

    /**
     * A node's full configuration: {@code overrides} (the node's file and flags) over the node's Pekko settings
     * ({@code cortex-node.conf}) over every module's defaults, resolved.
     */
    public static Config configuration(Config overrides) {
        Config defaults = ConfigFactory.parseResources(CortexNode.class.getClassLoader(), "cortex-node.conf")
                .withFallback(ConfigFactory.load());
        Config merged = overrides.withFallback(defaults).resolve();
        // the journal's settings follow cortex.ledger, under whatever the node's own file says of them
        return overrides.withFallback(LedgerStore.persistenceConfig(merged)).withFallback(defaults).resolve();
    }

    /**
     * Starts a node from a configuration made by {@link #configuration}. The chain spec's hash goes into the actor
     * system's configuration, where {@link SameChainSpec} compares it with the cluster's when the node joins.
     */
    public static CortexNode start(Config config) {
        NodeSettings settings = NodeSettings.from(config);
        Config withChain = ClusterFormation.prepare(config)
                .withValue(SameChainSpec.HASH, ConfigValueFactory.fromAnyRef(settings.chain().hashHex()))
                .withValue(SameChainSpec.NETWORK_ID, ConfigValueFactory.fromAnyRef(settings.chain().networkId()));
        QueryTransport transport = QueryTransport.start(settings.transport());
        ActorSystem<Void> system = null;
        try {
            system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, withChain);
            return wire(system, transport, settings);
        } catch (RuntimeException | Error e) {
            // a node that cannot start leaves nothing behind: no actor system, no Aeron directory
            if (system != null) {
                system.terminate();
            }
            transport.close();
            throw e;
        }
    }

    // long on purpose: the node's start-up steps in their order (ARCHITECTURE.md section 2), one call each
    private static CortexNode wire(ActorSystem<Void> system, QueryTransport transport, NodeSettings settings) {
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-aeron",
                () -> {
                    transport.close();
                    return CompletableFuture.completedFuture(Done.done());
                });
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "explain-refusal", () -> {
            if (refused(system)) {
                LOG.error("the cluster refused this node for an incompatible configuration: this node runs chain spec {} "
                                + "(network {}, from {}), and a cluster takes only nodes started from its own chain.json; "
                                + "the member that refused it logs the hash the cluster runs", settings.chain().hashHex(),
                        settings.chain().networkId(), settings.chainSource());
            }
            return CompletableFuture.completedFuture(Done.done());
        });
        LOG.info("{}, from {}", settings.chain(), settings.chainSource());
        List<List<SignedTransaction>> genesis = Genesis.transactions(settings.chain(), settings.plan());
        LedgerActor.Persistence persistence = LedgerStore.persistence(system.settings().config());
        EpochArchive archive = LedgerStore.epochArchive(system.settings().config(),
                LedgerActor.persistenceId(settings.chain().ledger()).id());
        if (archive instanceof AutoCloseable closeable) {
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-epoch-archive",
                    () -> {
                        try {
                            closeable.close();
                        } catch (Exception e) {
                            LOG.warn("closing the epoch archive: {}", e.toString());
                        }
                        return CompletableFuture.completedFuture(Done.done());
                    });
        }
        FirstSpread firstSpread = new FirstSpread(system, settings.minNodes(), settings.minNodesPatience(),
                NeuronEntities.TYPES);
        ActorRef<LedgerActor.Command> proxy = ClusterSingleton.get(system).init(SingletonActor.of(
                Behaviors.supervise(Behaviors.<LedgerActor.Command>setup(context -> {
                    context.getLog().info("the ledger starts on this node");
                    LedgerStore.prepare(context.getSystem(), Duration.ofSeconds(60));
                    return LedgerActor.create(settings.chain().ledger(), genesis,
                            settings.blockTime(),
                            (netuid, block) -> {
                                // only the plan's subnets have hosted neurons (none outside dev mode)
                                if (netuid <= settings.plan().subnets().size() && firstSpread.open()) {
                                    NeuronEntities.tellSubnet(system, netuid, new SubnetActor.Tick(block));
                                }
                            },
                            persistence, archive);
                })).onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
                "ledger"));
        LedgerProxy ledger = new LedgerProxy(proxy, system.scheduler(), settings.ledgerTimeout());
        LedgerStandby.start(system, ledger, settings.chain().ledger(), persistence.snapshotEvery());
        NeuronEntities neurons = NeuronEntities.start(system, settings.plan(), transport,
                new NonceCounter(new NodeMetagraphs(system, ledger, METAGRAPH_MAX_AGE)), settings.validator());
        LedgerService ledgerService = new LedgerService(system, ledger, settings.plan(), settings.name(), transport);
        ServerBinding api = ApiServer.start(system, settings.grpcHost(), settings.grpcPort(), ledgerService,
                new NetworkService(ledger, settings.plan(), transport),
                settings.grpcTlsCert() == null ? null : TlsFiles.server(settings.grpcTlsCert(), settings.grpcTlsKey()));
        NodeMetrics metrics = NodeMetrics.start(system, transport, ledgerService.blocksTopic());
        MinerStatsService.start(system, metrics.miners(), settings.name());
        BlockHistory blocks = BlockHistory.start(system, ledgerService.blocksTopic());
        JournalProbe probe = new JournalProbe(LedgerStore.database(system.settings().config()), settings.name());
        NodeOps.get(system).set(ledger, probe, metrics);
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-ops", () -> {
            probe.close();
            metrics.close();
            return CompletableFuture.completedFuture(Done.done());
        });
        ServerBinding ops = OpsServer.start(system, system.settings().config().getString("cortex.node.ops.host"),
                system.settings().config().getInt("cortex.node.ops.port"), metrics, ledgerService, blocks);
        ClusterFormation.start(system);
        LOG.info("node {} up: cluster {}, gRPC {} ({}), axon {} (bound {}), aeron {}, dashboard, health and metrics http://{}",
                settings.name(), Cluster.get(system).selfMember().address(), ApiServer.address(api),
                settings.grpcTlsCert() == null ? "plain text" : "TLS, " + settings.grpcTlsCert(), transport.axonChannel(),
                transport.bindEndpoint(), transport.aeronDirectory(), OpsServer.address(ops));
        return new CortexNode(system, transport, settings, ledger, neurons, ApiServer.address(api), OpsServer.address(ops));
    }

    /**
     * Whether the cluster refused this node for an incompatible configuration (a different chain spec, or
     * another of Pekko's join checks): the node then shuts itself down.
     */
    public static boolean refused(ActorSystem<?> system) {
        return CoordinatedShutdown.get(system).getShutdownReason()
                .filter(CoordinatedShutdown.incompatibleConfigurationDetectedReason()::equals).isPresent();
    }

    public ActorSystem<Void> system() {
        return system;
    }

    public QueryTransport transport() {
        return transport;
    }

    public NodeSettings settings() {
        return settings;
    }

    public LedgerProxy ledger() {
        return ledger;
    }

    public NeuronEntities neurons() {
        return neurons;
    }

    /** Where the node's gRPC API listens, {@code host:port}. */
    /** HOST:PORT of the operations endpoint: /alive, /ready, /metrics. */
    public String opsAddress() {
        return opsAddress;
    }

    public String grpcAddress() {
        return grpcAddress;
    }

    /** Leaves the cluster and stops (coordinated shutdown), waiting up to {@code timeout}. */
    public void stop(Duration timeout) {
        CoordinatedShutdown.get(system).run(CoordinatedShutdown.unknownReason());
        try {
            system.getWhenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            system.log().warn("node {} did not stop within {}", settings.name(), timeout);
        } finally {
            transport.close();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
