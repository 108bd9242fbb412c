package io.cortex.sharding.api;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.actor.LedgerViews;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.TransactionCodec;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.BalanceReply;
import io.cortex.protocol.api.BlockEvent;
import io.cortex.protocol.api.EpochEvent;
import io.cortex.protocol.api.EpochReply;
import io.cortex.protocol.api.EpochRequest;
import io.cortex.protocol.api.ExplainReply;
import io.cortex.protocol.api.ExplainRequest;
import io.cortex.protocol.api.Ledger;
import io.cortex.protocol.api.MetagraphRequest;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.NonceReply;
import io.cortex.protocol.api.StakePosition;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.api.StreamRequest;
import io.cortex.protocol.api.SubmitReply;
import io.cortex.protocol.api.SubmitRequest;
import io.cortex.protocol.api.SubnetReply;
import io.cortex.protocol.api.SubnetsReply;
import io.cortex.protocol.api.SubnetsRequest;
import io.cortex.core.identity.Address;
import io.cortex.sharding.ledger.LedgerProxy;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * The {@code Ledger} gRPC service of a node: each call is a question to the ledger singleton through the
 * node's proxy, answered as protobuf. Bad input is {@code INVALID_ARGUMENT}, an unknown subnet or epoch
 * {@code NOT_FOUND}, a ledger that does not answer in time {@code UNAVAILABLE}; all with a readable
 * description. The streams relay the ledger's pub/sub topics; a slow reader loses the oldest events.
 */
public final class LedgerService implements Ledger {

    private final ActorSystem<?> system;
    private final LedgerProxy ledger;
    private final NetworkPlan plan;
    private final String nodeName;
    private final ActorRef<Topic.Command<LedgerViews.BlockEvent>> blocks;
    private final ActorRef<Topic.Command<LedgerViews.EpochEvent>> epochs;
    private final io.cortex.protocol.aeron.QueryTransport transport;

    /** @param transport the node's query transport, whose axon and dendrite counters {@code status} reports */
    public LedgerService(ActorSystem<?> system, LedgerProxy ledger, NetworkPlan plan, String nodeName,
                         io.cortex.protocol.aeron.QueryTransport transport) {
        this.transport = transport;
        this.system = system;
        this.ledger = ledger;
        this.plan = plan;
        this.nodeName = nodeName;
        this.blocks = system.systemActorOf(Topic.create(LedgerViews.BlockEvent.class, LedgerActor.BLOCKS_TOPIC),
                "api-blocks-topic", org.apache.pekko.actor.typed.Props.empty());
        this.epochs = system.systemActorOf(Topic.create(LedgerViews.EpochEvent.class, LedgerActor.EPOCHS_TOPIC),
                "api-epochs-topic", org.apache.pekko.actor.typed.Props.empty());
    }

    @Override
    public CompletionStage<SubmitReply> submit(SubmitRequest in) {
        SignedTransaction tx;
        try {
            tx = TransactionCodec.decode(in.getTransaction().toByteArray());
        } catch (IllegalArgumentException e) {
            return failed(Status.INVALID_ARGUMENT, "not a signed transaction: " + e.getMessage());
        }
        return answer(ledger.<Receipt>ask(replyTo -> new LedgerActor.Submit(tx, replyTo)), receipt -> {
            if (receipt instanceof Receipt.Rejected r) {
                return SubmitReply.newBuilder().setAccepted(false).setReason(r.reason().name())
                        .setDetail(r.message()).build();
            }
            return SubmitReply.newBuilder().setAccepted(true).build();
        });
    }

    @Override
    public CompletionStage<NonceReply> nonce(AccountRequest in) {
        return aboutAccount(in.getAddress(), a -> ledger.<LedgerActor.Nonce>ask(replyTo -> new LedgerActor.GetNonce(a, replyTo)),
                n -> NonceReply.newBuilder().setNext(n.next()).build());
    }

    @Override
    public CompletionStage<BalanceReply> balance(AccountRequest in) {
        return aboutAccount(in.getAddress(), a -> ledger.<LedgerViews.Account>ask(replyTo -> new LedgerActor.GetAccount(a, replyTo)),
                LedgerService::balanceReply);
    }

    private static BalanceReply balanceReply(LedgerViews.Account account) {
        BalanceReply.Builder b = BalanceReply.newBuilder().setAddress(account.address().toString())
                .setBalance(account.balance()).setNonce(account.nonce());
        for (LedgerViews.StakePosition p : account.stakes()) {
            b.addStakes(StakePosition.newBuilder().setNetuid(p.netuid()).setHotkey(p.hotkey().toString())
                    .setAlpha(p.alpha()).setTaoValue(p.taoValue()));
        }
        return b.build();
    }

    @Override
    public CompletionStage<StatusReply> status(StatusRequest in) {
        return answer(ledger.<LedgerViews.Status>ask(LedgerActor.GetStatus::new), s -> StatusReply.newBuilder()
                .setHeight(s.height()).setStateHash(s.stateHash()).setTotalIssuance(s.totalIssuance())
                .setSubnets(s.subnets()).setEpochsRun(s.epochsRun()).setBlockTimeMs(s.blockTimeMillis())
                .addAllConservationViolations(s.conservationViolations()).setClusterMembersUp(membersUp())
                .setNode(nodeName).setRecoveredHeight(s.recoveredHeight()).setRecoveredStateHash(s.recoveredStateHash())
                .setLedgerAddress(s.ledgerAddress()).putAllAxonCounters(transport.axon().counters().snapshot())
                .putAllDendriteCounters(transport.dendrite().counters().snapshot()).setAxonChannel(transport.axonChannel())
                .build());
    }

    private int membersUp() {
        int up = 0;
        for (var m : Cluster.get(system).state().getMembers()) {
            up += m.status() == MemberStatus.up() ? 1 : 0;
        }
        return up;
    }

    @Override
    public CompletionStage<SubnetsReply> subnets(SubnetsRequest in) {
        return answer(ledger.<LedgerViews.SubnetList>ask(LedgerActor.GetSubnets::new), list -> {
            SubnetsReply.Builder b = SubnetsReply.newBuilder().setEmissionPolicy(list.emissionPolicy());
            list.subnets().forEach(s -> b.addSubnets(ApiMessages.summary(s, plan)));
            return b.build();
        });
    }

    @Override
    public CompletionStage<SubnetReply> subnet(NetuidRequest in) {
        return answer(ledger.<LedgerViews.SubnetAnswer>ask(replyTo -> new LedgerActor.GetSubnet(in.getNetuid(), replyTo)),
                a -> ApiMessages.subnet(found(a, LedgerViews.SubnetDetail.class), plan));
    }

    @Override
    public Source<io.cortex.protocol.api.Metagraph, NotUsed> metagraph(MetagraphRequest in) {
        if (in.getFromUid() < 0 || in.getLimit() < 0 || in.getPageSize() < 0) {
            return Source.failed(new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription(
                    "from_uid, limit and page_size are 0 or more, not " + in.getFromUid() + ", " + in.getLimit() + " and "
                            + in.getPageSize())));
        }
        int most = LedgerActor.GetMetagraphPage.MOST;
        int pageSize = in.getPageSize() == 0 ? most : Math.min(in.getPageSize(), most);
        long wanted = in.getLimit() == 0 ? Long.MAX_VALUE : in.getLimit();
        return Source.unfoldAsync(new MetagraphReading(in.getFromUid(), wanted, -1, false), r -> {
            if (r.done()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            int limit = (int) Math.min(pageSize, r.wanted());
            boolean first = r.atBlock() < 0;
            return answer(ledger.<LedgerViews.SubnetAnswer>ask(replyTo -> new LedgerActor.GetMetagraphPage(in.getNetuid(),
                    r.atBlock(), r.fromUid(), limit, first && r.wanted() > limit, replyTo)), a -> {
                LedgerViews.MetagraphPage page = found(a, LedgerViews.MetagraphPage.class);
                int got = page.page().neurons().size();
                int next = r.fromUid() + got;
                // the first page is sent even when empty: it says how many uids there are
                boolean done = got == 0 || next >= page.n() || r.wanted() - got <= 0;
                return Optional.of(Pair.create(new MetagraphReading(next, r.wanted() - got, page.page().block(), done),
                        ApiMessages.metagraph(page.page(), page.n(), plan)));
            });
        });
    }

    /**
     * Where a metagraph stream stands: the next uid, how many neurons are still wanted, the block its pages are
     * read at (-1 before the first), and whether it has sent its last page.
     */
    private record MetagraphReading(int fromUid, long wanted, long atBlock, boolean done) {
    }

    @Override
    public CompletionStage<EpochReply> epoch(EpochRequest in) {
        return answer(epochView(in.getNetuid(), in.getEpoch()), v -> EpochReply.newBuilder().setNetuid(v.netuid())
                .setBlock(v.block()).setEpoch(v.epochIndex()).setInputHash(v.inputHash())
                .setInputJson(new String(v.inputJson(), StandardCharsets.UTF_8))
                .setOutputJson(new String(v.outputJson(), StandardCharsets.UTF_8))
                .addAllMinerPaid(boxed(v.minerPaid())).addAllValidatorPaid(boxed(v.validatorPaid()))
                .setValidatorPot(v.validatorPot()).setValidatorWeightSum(v.validatorWeightSum())
                .setOwnerCut(v.ownerCut()).setBurned(v.burned()).build());
    }

    @Override
    public CompletionStage<ExplainReply> explain(ExplainRequest in) {
        return answer(epochView(in.getNetuid(), in.getEpoch()), v -> {
            try {
                return Explainer.explain(v, in.getUid());
            } catch (IllegalArgumentException e) {
                throw new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
            }
        });
    }

    private CompletionStage<LedgerViews.EpochView> epochView(int netuid, long epoch) {
        return ledger.<LedgerViews.SubnetAnswer>ask(replyTo -> new LedgerActor.GetEpoch(netuid, epoch, replyTo))
                .thenApply(a -> found(a, LedgerViews.EpochView.class));
    }

    /** This node's subscription point to the ledger's blocks (the node's metrics listen there too). */
    public ActorRef<Topic.Command<LedgerViews.BlockEvent>> blocksTopic() {
        return blocks;
    }

    @Override
    public Source<BlockEvent, NotUsed> blocks(StreamRequest in) {
        return relay(blocks, e -> BlockEvent.newBuilder().setHeight(e.height()).setTimestampMs(e.timestampMillis())
                .setTransactions(e.transactions()).setRejected(e.rejected()).setStateHash(e.stateHash())
                .setBlockEmission(e.blockEmission()).putAllTaoIn(taoIn(e)).build());
    }

    @Override
    public Source<EpochEvent, NotUsed> epochs(StreamRequest in) {
        return relay(epochs, e -> EpochEvent.newBuilder()
                .setMetagraph(ApiMessages.metagraph(e.metagraph(), e.metagraph().neurons().size(), plan))
                .setEmission(e.emission()).addAllPaid(boxed(e.paid())).setInputHash(e.inputHash()).build());
    }

    private static Map<Integer, Long> taoIn(LedgerViews.BlockEvent e) {
        Map<Integer, Long> in = new HashMap<>();
        for (int i = 0; i < e.taoInNetuids().length; i++) {
            in.put(e.taoInNetuids()[i], e.taoIn()[i]);
        }
        return in;
    }

    /** A stream of a topic's events from now on, for as long as the client reads. */
    private static <T, P> Source<P, NotUsed> relay(ActorRef<Topic.Command<T>> topic, Function<T, P> toProto) {
        return ActorSource.<T>actorRef(m -> false, m -> java.util.Optional.empty(), 256, OverflowStrategy.dropHead())
                .mapMaterializedValue(ref -> {
                    topic.tell(Topic.subscribe(ref));
                    return NotUsed.notUsed();
                })
                .map(toProto::apply);
    }

    private static <A, T extends A> T found(A answer, Class<T> type) {
        if (type.isInstance(answer)) {
            return type.cast(answer);
        }
        if (answer instanceof LedgerViews.Missing m) {
            throw new GrpcServiceException(Status.NOT_FOUND.withDescription(m.reason()));
        }
        if (answer instanceof LedgerViews.Overtaken o) {
            throw new GrpcServiceException(Status.ABORTED.withDescription(o.reason()));
        }
        throw new GrpcServiceException(Status.INTERNAL.withDescription("unexpected answer " + answer));
    }

    /** The ledger's answer about the account at {@code text}, mapped to a reply; INVALID_ARGUMENT if it is no address. */
    private static <A, R> CompletionStage<R> aboutAccount(String text, Function<Address, CompletionStage<A>> ask,
                                                           Function<A, R> reply) {
        Address address;
        try {
            address = Address.parse(text);
        } catch (IllegalArgumentException e) {
            return failed(Status.INVALID_ARGUMENT, "not an address: " + text + " (" + e.getMessage() + ")");
        }
        return answer(ask.apply(address), reply);
    }

    private static <T> CompletionStage<T> failed(Status status, String description) {
        return CompletableFuture.failedFuture(new GrpcServiceException(status.withDescription(description)));
    }

    /**
     * The ledger's answer mapped to a reply. The reply fails with a {@link GrpcServiceException} itself (not
     * wrapped): a timeout becomes UNAVAILABLE, anything unexpected INTERNAL.
     */
    static <A, R> CompletionStage<R> answer(CompletionStage<A> asked, Function<A, R> reply) {
        CompletableFuture<R> result = new CompletableFuture<>();
        asked.whenComplete((a, failure) -> {
            if (failure != null) {
                result.completeExceptionally(grpcFailure(failure));
                return;
            }
            try {
                result.complete(reply.apply(a));
            } catch (RuntimeException e) {
                result.completeExceptionally(grpcFailure(e));
            }
        });
        return result;
    }

    static GrpcServiceException grpcFailure(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof GrpcServiceException g) {
            return g;
        }
        if (cause instanceof TimeoutException) {
            return new GrpcServiceException(Status.UNAVAILABLE.withDescription(
                    "the ledger did not answer in time (is the cluster up?)"));
        }
        return new GrpcServiceException(Status.INTERNAL.withDescription(cause.toString()));
    }

    private static java.util.List<Long> boxed(long[] values) {
        java.util.List<Long> list = new java.util.ArrayList<>(values.length);
        for (long v : values) {
            list.add(v);
        }
        return list;
    }
}
