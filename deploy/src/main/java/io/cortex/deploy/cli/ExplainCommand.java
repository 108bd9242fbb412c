package io.cortex.deploy.cli;

import io.cortex.deploy.support.CliFailure;
import io.cortex.protocol.api.EpochReply;
import io.cortex.protocol.api.EpochRequest;
import io.cortex.protocol.api.ExplainReply;
import io.cortex.protocol.api.ExplainRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cortex explain}: how a neuron's payout in an epoch follows from the epoch's recorded input. */
@Command(name = "explain", description = {"How a neuron's payout in an epoch follows from the epoch's recorded input: "
        + "its stake share, activity and permit; as a validator its weights, the consensus each miner got, the "
        + "clipped weights, its trust, bonds and dividends; as a miner its rank and incentive; the payout in alpha rao.",
        "The node re-runs the recorded input and says whether it gives the recorded output; --save-input writes "
                + "the input so that ./cortex epoch replays it on any machine."})
public final class ExplainCommand extends ReadCommand<ExplainReply> {
    @Option(names = "--netuid", required = true)
    int netuid;

    @Option(names = "--uid", required = true)
    int uid;

    @Option(names = "--epoch", defaultValue = "-1", description = "the epoch index (default: the latest)")
    long epoch;

    @Option(names = "--save-input", paramLabel = "FILE", description = "write the epoch's input JSON to FILE")
    Path saveInput;

    @Override
    ExplainReply read(Api api) {
        ExplainReply x = api.call(api.ledger().explain(ExplainRequest.newBuilder().setNetuid(netuid).setUid(uid)
                .setEpoch(epoch).build()));
        if (saveInput != null) {
            EpochReply e = api.call(api.ledger().epoch(EpochRequest.newBuilder().setNetuid(netuid).setEpoch(x.getEpoch()).build()));
            try {
                Files.writeString(saveInput, e.getInputJson(), StandardCharsets.UTF_8);
            } catch (IOException ex) {
                throw new CliFailure("cannot write " + saveInput + ": " + ex.getMessage(), ex);
            }
        }
        return x;
    }

    @Override
    void print(Api api, ExplainReply x, PrintWriter out) {
        if (saveInput != null) {
            out.println("wrote the input of epoch " + x.getEpoch() + " (" + x.getInputHash().substring(0, 16) + "...) to "
                    + saveInput);
        }
        x.getDerivationList().forEach(out::println);
    }
}
