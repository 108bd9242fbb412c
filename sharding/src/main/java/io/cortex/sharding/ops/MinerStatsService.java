package io.cortex.sharding.ops;

import io.cortex.core.message.CortexMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Each node's {@link MinerStats}, registered with the cluster's receptionist, so that any node's dashboard
 * can show what every node's validators saw of a subnet's miners: a validator runs on one node, and its
 * queries are counted there.
 */
public final class MinerStatsService {
    public static final ServiceKey<Ask> KEY = ServiceKey.create(Ask.class, "cortex-miner-stats");

    /** Asks a node for its report on subnet {@code netuid}. */
    public record Ask(int netuid, ActorRef<MinerStats.Report> replyTo) implements CortexMessage {
    }

    private MinerStatsService() {
    }

    /** Answers for {@code stats}, as node {@code node}, from now on. */
    public static void start(ActorSystem<?> system, MinerStats stats, String node) {
        ActorRef<Ask> service = system.systemActorOf(Behaviors.<Ask>receiveMessage(ask -> {
            ask.replyTo().tell(stats.report(node, ask.netuid()));
            return Behaviors.same();
        }), "miner-stats", Props.empty());
        system.receptionist().tell(Receptionist.register(KEY, service));
    }

    /** The reports of every node that answers within {@code timeout}; a node that does not is left out. */
    public static CompletionStage<List<MinerStats.Report>> gather(ActorSystem<?> system, int netuid, Duration timeout) {
        return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
                        replyTo -> Receptionist.find(KEY, replyTo), timeout, system.scheduler())
                .thenCompose(listing -> {
                    List<CompletableFuture<MinerStats.Report>> asks = new ArrayList<>();
                    for (ActorRef<Ask> node : listing.getServiceInstances(KEY)) {
                        asks.add(AskPattern.<Ask, MinerStats.Report>ask(node, replyTo -> new Ask(netuid, replyTo), timeout,
                                system.scheduler()).toCompletableFuture().exceptionally(failure -> null));
                    }
                    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(done -> {
                        List<MinerStats.Report> reports = new ArrayList<>();
                        for (CompletableFuture<MinerStats.Report> a : asks) {
                            if (a.join() != null) {
                                reports.add(a.join());
                            }
                        }
                        return reports;
                    });
                });
    }
}
