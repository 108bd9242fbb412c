package io.cortex.sharding.api;

import io.cortex.protocol.api.LedgerHandlerFactory;
import io.cortex.protocol.api.NetworkHandlerFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.javadsl.ServiceHandler;
import javax.net.ssl.SSLContext;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;

/**
 * A node's public API: the {@code Ledger} and {@code Network} gRPC services on one HTTP/2 port, over TLS
 * when the node has a certificate, else in plain text. Unbound by coordinated shutdown.
 */
public final class ApiServer {

    private ApiServer() {
    }

    /** Binds the services in plain text; fails with a readable message when the port is taken. */
    public static ServerBinding start(ActorSystem<?> system, String host, int port, LedgerService ledger,
                                      NetworkService network) {
        return start(system, host, port, ledger, network, null);
    }

    /** Binds the services, over TLS with {@code tls} unless it is null. */
    public static ServerBinding start(ActorSystem<?> system, String host, int port, LedgerService ledger,
                                      NetworkService network, SSLContext tls) {
        @SuppressWarnings("unchecked")
        Function<HttpRequest, CompletionStage<HttpResponse>> handler = ServiceHandler.concatOrNotFound(
                LedgerHandlerFactory.partial(ledger, io.cortex.protocol.api.Ledger.name, system),
                NetworkHandlerFactory.partial(network, io.cortex.protocol.api.Network.name, system));
        try {
            ServerBuilder server = Http.get(system).newServerAt(host, port);
            if (tls != null) {
                server = server.enableHttps(ConnectionContext.httpsServer(tls));
            }
            ServerBinding binding = server.bind(handler)
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
