package io.cortex.deploy.cli;

import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cortex status}: the chain as a node sees it. */
@Command(name = "status", description = "The chain as a node sees it: height, state hash, subnets, cluster members.")
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Override
    public Integer call() {
        try (Api api = connection.open()) {
            StatusReply s = api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
            PrintWriter out = spec.commandLine().getOut();
            if (connection.json()) {
                Output.json(out, s);
                return 0;
            }
            out.println("node " + s.getNode() + " at " + api.address() + ", " + s.getClusterMembersUp() + " cluster members up; "
                    + "the ledger runs on " + s.getLedgerAddress());
            out.println("block " + s.getHeight() + " (" + s.getBlockTimeMs() + " ms blocks), state " + s.getStateHash());
            out.println(s.getSubnets() + " subnets, " + s.getEpochsRun() + " epochs run, total issuance "
                    + Output.tao(s.getTotalIssuance()) + " TAO");
            if (s.getRecoveredHeight() > 0) {
                out.println("the ledger resumed from its journal at block " + s.getRecoveredHeight() + ", state "
                        + s.getRecoveredStateHash());
            }
            out.println(s.getConservationViolationsCount() == 0 ? "conservation holds"
                    : "CONSERVATION VIOLATED: " + String.join("; ", s.getConservationViolationsList()));
            out.flush();
        }
        return 0;
    }
}
