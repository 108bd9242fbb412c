package io.cortex.sharding.ops;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * An operations endpoint over plain HTTP: {@code /metrics} in Prometheus's text format ({@link NodeMetrics}),
 * and on a node ({@code cortex.node.ops}) Pekko Management's health checks, {@code /alive} and {@code /ready}
 * ({@link Readiness}). Unbound by coordinated shutdown.
 */
public final class OpsServer {
    private OpsServer() {
    }

    /** Serves {@code metrics} alone (an outside neuron). */
    public static ServerBinding start(ActorSystem<?> system, String host, int port, NodeMetrics metrics) {
        return bind(system, host, port, scrape(metrics));
    }

    /** Serves a node's health checks, {@code metrics}, and the {@link Dashboard} over {@code ledger}. */
    public static ServerBinding start(ActorSystem<?> system, String host, int port, NodeMetrics metrics,
                                      io.cortex.protocol.api.Ledger ledger, BlockHistory blocks) {
        return bind(system, host, port, concat(PekkoManagement.get(system).getRoutes(), scrape(metrics),
                Dashboard.route(system, ledger, blocks)));
    }

    private static Route scrape(NodeMetrics metrics) {
        return path("metrics", () -> get(() -> complete(HttpResponse.create().withEntity(
                HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape())))));
    }

    private static ServerBinding bind(ActorSystem<?> system, String host, int port, Route routes) {
        try {
            ServerBinding binding = Http.get(system).newServerAt(host, port).bind(routes)
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            binding.addToCoordinatedShutdown(Duration.ofSeconds(3), system);
            return binding;
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot serve the operations endpoint on " + host + ":" + port + ": "
                    + cause.getMessage(), e);
        }
    }

    public static String address(ServerBinding binding) {
        InetSocketAddress a = binding.localAddress();
        return a.getHostString() + ":" + a.getPort();
    }
}
