package io.cortex.sharding.api;

import io.cortex.protocol.api.LedgerHandlerFactory;
import io.cortex.protocol.api.NetworkHandlerFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.javadsl.ServiceHandler;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;

/**
 * A node's public API: the {@code Ledger} and {@code Network} gRPC services on one HTTP/2 port (plaintext:
 * a local testnet's API listens on loopback). Unbound by coordinated shutdown.
 */
public final class ApiServer {

    private ApiServer() {
    }

    /** Binds the services; fails with a readable message when the port is taken. */
    public static ServerBinding start(ActorSystem<?> system, String host, int port, LedgerService ledger,
                                      NetworkService network) {
        @SuppressWarnings("unchecked")
        Function<HttpRequest, CompletionStage<HttpResponse>> handler = ServiceHandler.concatOrNotFound(
                LedgerHandlerFactory.partial(ledger, io.cortex.protocol.api.Ledger.name, system),
                NetworkHandlerFactory.partial(network, io.cortex.protocol.api.Network.name, system));
        try {
            ServerBinding binding = Http.get(system).newServerAt(host, port).bind(handler)
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
            return binding;
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot serve the gRPC API on " + host + ":" + port + ": " + cause.getMessage(), e);
        }
    }

    public static String address(ServerBinding binding) {
        InetSocketAddress a = binding.localAddress();
        return a.getHostString() + ":" + a.getPort();
    }
}
