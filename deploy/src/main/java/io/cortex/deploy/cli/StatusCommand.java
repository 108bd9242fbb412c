package io.cortex.deploy.cli;

import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code cortex status}: the chain as a node sees it. */
@Command(name = "status", description = "The chain as a node sees it: height, state hash, subnets, cluster members.")
public final class StatusCommand extends ReadCommand<StatusReply> {
    @Override
    StatusReply read(Api api) {
        return api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
    }

    @Override
    void print(Api api, StatusReply s, PrintWriter out) {
        out.println("node " + s.getNode() + " at " + api.address() + ", " + s.getClusterMembersUp() + " cluster members up; "
                + "the ledger runs on " + s.getLedgerAddress());
        if (!s.getAxonChannel().isEmpty()) {
            out.println("axon " + s.getAxonChannel());
        }
        out.println("block " + s.getHeight() + " (" + s.getBlockTimeMs() + " ms blocks), state " + s.getStateHash());
        out.println(s.getSubnets() + " subnets, " + s.getEpochsRun() + " epochs run, total issuance "
                + Output.tao(s.getTotalIssuance()) + " TAO");
        if (s.getRecoveredHeight() > 0) {
            out.println("the ledger resumed from its journal at block " + s.getRecoveredHeight() + ", state "
                    + s.getRecoveredStateHash());
        }
        out.println(s.getConservationViolationsCount() == 0 ? "conservation holds"
                : "CONSERVATION VIOLATED: " + String.join("; ", s.getConservationViolationsList()));
        axon(s.getAxonCountersMap(), out);
        java.util.Map<String, Long> dendrite = s.getDendriteCountersMap();
        if (!dendrite.isEmpty()) {
            out.println("dendrite: " + dendrite.getOrDefault("sent", 0L) + " queries sent, " + dendrite.getOrDefault("answered", 0L)
                    + " answered, " + dendrite.getOrDefault("timed_out", 0L) + " timed out, " + dendrite.getOrDefault("refused", 0L)
                    + " refused; " + dendrite.getOrDefault("forged_acks", 0L) + " forged HELLO_ACKs ignored");
        }
    }

    private static void axon(java.util.Map<String, Long> axon, PrintWriter out) {
        if (axon.isEmpty()) {
            return;
        }
        out.println("axon: " + axon.getOrDefault("received", 0L) + " frames read, " + axon.getOrDefault("sessions_opened", 0L)
                + " sessions opened, " + axon.getOrDefault("served", 0L) + " queries served");
        StringBuilder refused = new StringBuilder();
        for (String kind : List.of("unauthorized", "replayed", "rate_limited", "refused_channel", "too_large",
                "overloaded", "no_such_miner", "expired", "dropped", "sessions_evicted", "setups_refused")) {
            long n = axon.getOrDefault(kind, 0L);
            if (n > 0) {
                refused.append(refused.length() == 0 ? "" : ", ").append(kind.replace('_', ' ')).append(' ').append(n);
            }
        }
        out.println("axon refusals: " + (refused.length() == 0 ? "none" : refused));
    }
}
