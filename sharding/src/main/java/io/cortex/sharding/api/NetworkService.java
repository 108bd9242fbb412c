package io.cortex.sharding.api;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.actor.LedgerViews;
import io.cortex.ledger.state.Metagraph;
import io.cortex.protocol.aeron.Dendrite;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.protocol.aeron.Status;
import io.cortex.protocol.api.MinerAnswer;
import io.cortex.protocol.api.Network;
import io.cortex.protocol.api.QueryReply;
import io.cortex.protocol.api.QueryRequest;
import io.cortex.core.identity.Keypair;
import io.cortex.sharding.ledger.LedgerProxy;
import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.SubnetMechanisms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.grpc.GrpcServiceException;

/**
 * The {@code Network} gRPC service: an end user's query to a subnet, sent by this node's dendrite to the
 * subnet's top miners by incentive (those serving an axon), each answer returned with the aggregate the
 * subnet's mechanism makes of them. The miners come from the subnet's metagraph as the ledger last gave it
 * (at most a second old; while the ledger moves after a node is lost, up to a minute), so queries go on
 * during a failover; of a subnet over 1,024 uids, that description holds its first 1,024 only
 * ({@link LedgerViews.SubnetDetail}), and the top miners are chosen among them. Miners answer registered hotkeys only, so the node asks as the first
 * validator of the subnet in its network plan, whose keys every node of a testnet holds.
 */
public final class NetworkService implements Network {
    static final int DEFAULT_TOP = 3;
    static final int MAX_TOP = 64;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration FRESH = Duration.ofSeconds(1);
    static final Duration PATIENCE = Duration.ofSeconds(1);
    static final Duration WHILE_THE_LEDGER_MOVES = Duration.ofSeconds(60);

    private final LedgerProxy ledger;
    private final NetworkPlan plan;
    private final QueryTransport transport;
    private final Map<Integer, Known> known = new ConcurrentHashMap<>();

    public NetworkService(LedgerProxy ledger, NetworkPlan plan, QueryTransport transport) {
        this.ledger = ledger;
        this.plan = plan;
        this.transport = transport;
    }

    @Override
    public CompletionStage<QueryReply> query(QueryRequest in) {
        int netuid = in.getNetuid();
        if (netuid < 1 || netuid > plan.subnets().size()) {
            return invalid(io.grpc.Status.NOT_FOUND, "subnet " + netuid + " is not in this network's plan");
        }
        NetworkPlan.SubnetPlan subnetPlan = plan.subnet(netuid);
        SubnetMechanism mechanism = SubnetMechanisms.named(subnetPlan.mechanism());
        Keypair caller = subnetPlan.neurons().stream().filter(n -> n.role() == NetworkPlan.Role.VALIDATOR)
                .findFirst().map(n -> plan.hotkey(n.name())).orElse(null);
        if (caller == null) {
            return invalid(io.grpc.Status.FAILED_PRECONDITION, "subnet " + netuid + " has no validator to ask through");
        }
        SubnetMechanism.Task task;
        try {
            task = mechanism.parseQuery(in.getText());
        } catch (IllegalArgumentException e) {
            return invalid(io.grpc.Status.INVALID_ARGUMENT, e.getMessage());
        }
        int top = in.getTop() <= 0 ? DEFAULT_TOP : Math.min(in.getTop(), MAX_TOP);
        Duration timeout = in.getTimeoutMs() <= 0 ? DEFAULT_TIMEOUT : Duration.ofMillis(in.getTimeoutMs());
        return LedgerService.answer(subnet(netuid).thenCompose(answer -> {
            if (!(answer instanceof LedgerViews.SubnetDetail detail)) {
                throw new GrpcServiceException(io.grpc.Status.NOT_FOUND.withDescription(
                        answer instanceof LedgerViews.Missing m ? m.reason() : "no subnet " + netuid));
            }
            List<Metagraph.Neuron> miners = new ArrayList<>(detail.metagraph().neurons().stream()
                    .filter(n -> !n.axon().isEmpty() && !n.hotkey().equals(caller.address())).toList());
            miners.sort(Comparator.comparingInt(Metagraph.Neuron::incentive).reversed()
                    .thenComparingInt(Metagraph.Neuron::uid));
            List<Metagraph.Neuron> chosen = miners.subList(0, Math.min(top, miners.size()));
            List<CompletableFuture<Dendrite.Response>> responses = new ArrayList<>();
            for (Metagraph.Neuron n : chosen) {
                responses.add(transport.dendrite().query(caller, n.hotkey(), n.axon(), netuid, task.payload(), timeout));
            }
            return CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new))
                    .thenApply(done -> reply(netuid, mechanism, task, chosen, responses));
        }), reply -> reply);
    }

    /**
     * The subnet as the ledger last described it: reused for {@link #FRESH}, since a query needs the miners'
     * axons and incentives, not the block being made; while the ledger does not answer within {@link #PATIENCE}
     * (it is moving to another node), the last description for up to {@link #WHILE_THE_LEDGER_MOVES}.
     */
    private CompletionStage<LedgerViews.SubnetAnswer> subnet(int netuid) {
        Known last = known.get(netuid);
        if (last != null && System.nanoTime() - last.atNanos() < FRESH.toNanos()) {
            return CompletableFuture.completedFuture(last.detail());
        }
        CompletionStage<LedgerViews.SubnetAnswer> asked = last == null
                ? ledger.ask(replyTo -> new LedgerActor.GetSubnet(netuid, replyTo))
                : ledger.ask(replyTo -> new LedgerActor.GetSubnet(netuid, replyTo), PATIENCE);
        return asked.handle((answer, failure) -> {
            if (failure == null) {
                if (answer instanceof LedgerViews.SubnetDetail detail) {
                    known.put(netuid, new Known(detail, System.nanoTime()));
                }
                return answer;
            }
            Known kept = known.get(netuid);
            if (kept != null && System.nanoTime() - kept.atNanos() < WHILE_THE_LEDGER_MOVES.toNanos()) {
                return kept.detail();
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
    }

    private record Known(LedgerViews.SubnetDetail detail, long atNanos) {
    }

    private static QueryReply reply(int netuid, SubnetMechanism mechanism, SubnetMechanism.Task task,
                                    List<Metagraph.Neuron> chosen, List<CompletableFuture<Dendrite.Response>> responses) {
        List<byte[]> answers = new ArrayList<>();
        for (CompletableFuture<Dendrite.Response> r : responses) {
            Dendrite.Response response = r.join();
            if (response.status() == Status.OK) {
                answers.add(response.body());
            }
        }
        byte[] aggregate = mechanism.aggregate(answers);
        QueryReply.Builder b = QueryReply.newBuilder().setNetuid(netuid).setMechanism(mechanism.name())
                .setRule(mechanism.aggregationRule())
                .setAggregate(aggregate == null ? "" : mechanism.formatAnswer(aggregate))
                .setExpected(task.expected() == null ? "" : mechanism.formatAnswer(task.expected()));
        for (int i = 0; i < chosen.size(); i++) {
            Metagraph.Neuron n = chosen.get(i);
            Dendrite.Response response = responses.get(i).join();
            boolean ok = response.status() == Status.OK;
            b.addAnswers(MinerAnswer.newBuilder().setUid(n.uid()).setHotkey(n.hotkey().toString())
                    .setIncentive(n.incentive()).setStatus(response.status())
                    .setAnswer(ok ? mechanism.formatAnswer(response.body()) : "")
                    .setLatencyUs(response.roundTripNanos() / 1000)
                    .setAgrees(ok && mechanism.agrees(response.body(), aggregate)));
        }
        return b.build();
    }

    private static CompletionStage<QueryReply> invalid(io.grpc.Status status, String description) {
        return CompletableFuture.failedFuture(new GrpcServiceException(status.withDescription(description)));
    }
}
