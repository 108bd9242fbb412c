package io.cortex.deploy.cli;

import com.google.protobuf.Message;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.BalanceReply;
import io.cortex.protocol.api.BlockEvent;
import io.cortex.protocol.api.EpochEvent;
import io.cortex.protocol.api.EpochReply;
import io.cortex.protocol.api.EpochRequest;
import io.cortex.protocol.api.ExplainReply;
import io.cortex.protocol.api.ExplainRequest;
import io.cortex.protocol.api.Ledger;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.MetagraphRequest;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.Network;
import io.cortex.protocol.api.NonceReply;
import io.cortex.protocol.api.QueryReply;
import io.cortex.protocol.api.QueryRequest;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.api.StreamRequest;
import io.cortex.protocol.api.SubmitReply;
import io.cortex.protocol.api.SubmitRequest;
import io.cortex.protocol.api.SubnetReply;
import io.cortex.protocol.api.SubnetsReply;
import io.cortex.protocol.api.SubnetsRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The node's {@link Ledger} and {@link Network} APIs with their unary calls made straight on a grpc-java
 * channel, the one Pekko gRPC's own client runs on underneath. A command that asks a node a question and
 * exits then starts no actor system, which took most of such a command's second (BENCHMARKS.md, "Command
 * start-up"). The two streams, which only the commands that run for minutes read, go through Pekko gRPC's
 * client, made on first use.
 */
final class ChannelApi {
    private ChannelApi() {
    }

    /** {@code Ledger}: unary calls on {@code channel}, each with {@code deadline}; streams from {@code streams}. */
    static Ledger ledger(Channel channel, Duration deadline, Supplier<Ledger> streams) {
        return new Ledger() {
            @Override
            public CompletionStage<SubmitReply> submit(SubmitRequest in) {
                return call(channel, LedgerMethods.SUBMIT, in, deadline);
            }

            @Override
            public CompletionStage<NonceReply> nonce(AccountRequest in) {
                return call(channel, LedgerMethods.NONCE, in, deadline);
            }

            @Override
            public CompletionStage<BalanceReply> balance(AccountRequest in) {
                return call(channel, LedgerMethods.BALANCE, in, deadline);
            }

            @Override
            public CompletionStage<StatusReply> status(StatusRequest in) {
                return call(channel, LedgerMethods.STATUS, in, deadline);
            }

            @Override
            public CompletionStage<SubnetsReply> subnets(SubnetsRequest in) {
                return call(channel, LedgerMethods.SUBNETS, in, deadline);
            }

            @Override
            public CompletionStage<SubnetReply> subnet(NetuidRequest in) {
                return call(channel, LedgerMethods.SUBNET, in, deadline);
            }

            @Override
            public CompletionStage<EpochReply> epoch(EpochRequest in) {
                return call(channel, LedgerMethods.EPOCH, in, deadline);
            }

            @Override
            public CompletionStage<ExplainReply> explain(ExplainRequest in) {
                return call(channel, LedgerMethods.EXPLAIN, in, deadline);
            }

            @Override
            public Source<Metagraph, NotUsed> metagraph(MetagraphRequest in) {
                return streams.get().metagraph(in);
            }

            @Override
            public Source<BlockEvent, NotUsed> blocks(StreamRequest in) {
                return streams.get().blocks(in);
            }

            @Override
            public Source<EpochEvent, NotUsed> epochs(StreamRequest in) {
                return streams.get().epochs(in);
            }
        };
    }

    /** {@code Network}: its one call, on {@code channel} with {@code deadline}. */
    static Network network(Channel channel, Duration deadline) {
        return in -> call(channel, QUERY, in, deadline);
    }

    private static final MethodDescriptor<QueryRequest, QueryReply> QUERY =
            unary(Network.name, "Query", QueryRequest.getDefaultInstance(), QueryReply.getDefaultInstance());

    /** The Ledger service's unary methods, named as in ledger.proto (held apart so Network alone loads none). */
    static final class LedgerMethods {
        static final MethodDescriptor<SubmitRequest, SubmitReply> SUBMIT =
                unary(Ledger.name, "Submit", SubmitRequest.getDefaultInstance(), SubmitReply.getDefaultInstance());
        static final MethodDescriptor<AccountRequest, NonceReply> NONCE =
                unary(Ledger.name, "Nonce", AccountRequest.getDefaultInstance(), NonceReply.getDefaultInstance());
        static final MethodDescriptor<AccountRequest, BalanceReply> BALANCE =
                unary(Ledger.name, "Balance", AccountRequest.getDefaultInstance(), BalanceReply.getDefaultInstance());
        static final MethodDescriptor<StatusRequest, StatusReply> STATUS =
                unary(Ledger.name, "Status", StatusRequest.getDefaultInstance(), StatusReply.getDefaultInstance());
        static final MethodDescriptor<SubnetsRequest, SubnetsReply> SUBNETS =
                unary(Ledger.name, "Subnets", SubnetsRequest.getDefaultInstance(), SubnetsReply.getDefaultInstance());
        static final MethodDescriptor<NetuidRequest, SubnetReply> SUBNET =
                unary(Ledger.name, "Subnet", NetuidRequest.getDefaultInstance(), SubnetReply.getDefaultInstance());
        static final MethodDescriptor<EpochRequest, EpochReply> EPOCH =
                unary(Ledger.name, "Epoch", EpochRequest.getDefaultInstance(), EpochReply.getDefaultInstance());
        static final MethodDescriptor<ExplainRequest, ExplainReply> EXPLAIN =
                unary(Ledger.name, "Explain", ExplainRequest.getDefaultInstance(), ExplainReply.getDefaultInstance());
        static final MethodDescriptor<MetagraphRequest, Metagraph> METAGRAPH = method(MethodDescriptor.MethodType.SERVER_STREAMING,
                Ledger.name, "Metagraph", MetagraphRequest.getDefaultInstance(), Metagraph.getDefaultInstance());
    }

    /**
     * Every page of the {@code Metagraph} stream, read on {@code channel} by {@code deadline}: a short
     * command reads a big subnet's metagraph without starting an actor system.
     */
    static CompletionStage<List<Metagraph>> metagraphPages(Channel channel, MetagraphRequest in, io.grpc.Deadline deadline) {
        Collected<Metagraph> pages = new Collected<>();
        ClientCalls.asyncServerStreamingCall(channel.newCall(LedgerMethods.METAGRAPH, CallOptions.DEFAULT.withDeadline(deadline)),
                in, pages);
        return pages.all;
    }

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> unary(String service, String method,
                                                                                       Q request, R reply) {
        return method(MethodDescriptor.MethodType.UNARY, service, method, request, reply);
    }

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(MethodDescriptor.MethodType type,
                                                                                        String service, String method,
                                                                                        Q request, R reply) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(reply))
                .build();
    }

    private static <Q, R> CompletionStage<R> call(Channel channel, MethodDescriptor<Q, R> method, Q request,
                                                  Duration deadline) {
        Collected<R> reply = new Collected<>();
        ClientCalls.asyncUnaryCall(channel.newCall(method, options(deadline)), request, reply);
        return reply.all.thenApply(replies -> {
            if (replies.isEmpty()) {
                throw new IllegalStateException(method.getFullMethodName() + " ended without a reply");
            }
            return replies.get(0);
        });
    }

    private static CallOptions options(Duration deadline) {
        return CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A call's replies (one for a unary call, each page of a stream), complete when the call completes. */
    private static final class Collected<R> implements StreamObserver<R> {
        final CompletableFuture<List<R>> all = new CompletableFuture<>();
        private final List<R> read = new ArrayList<>();

        @Override
        public void onNext(R value) {
            read.add(value);
        }

        @Override
        public void onError(Throwable failure) {
            all.completeExceptionally(failure);
        }

        @Override
        public void onCompleted() {
            all.complete(read);
        }
    }
}
