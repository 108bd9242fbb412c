package io.cortex.deploy.cli;

import io.cortex.protocol.aeron.Status;
import io.cortex.protocol.api.MinerAnswer;
import io.cortex.protocol.api.QueryReply;
import io.cortex.protocol.api.QueryRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cortex query}: ask a subnet, as an end user. */
@Command(name = "query", description = {"Ask a subnet, as an end user: the node sends the query to the subnet's top "
        + "miners by incentive and shows each answer, its latency, and the aggregate.",
        "Compute subnet: the sum of squares of the numbers, modulo the modulus, e.g. "
                + "./cortex query --netuid 1 \"3 4 5 mod 1000003\""})
public final class QueryCommand extends ReadCommand<QueryReply> {
    @Option(names = "--netuid", required = true)
    int netuid;

    @Option(names = "--top", defaultValue = "3", description = "miners to ask (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--timeout-ms", defaultValue = "2000", description = "per miner (default ${DEFAULT-VALUE})")
    int timeoutMs;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "the query, in the subnet's text form")
    List<String> text;

    @Override
    QueryReply read(Api api) {
        return api.call(api.network().query(QueryRequest.newBuilder().setNetuid(netuid)
                .setText(String.join(" ", text)).setTop(top).setTimeoutMs(timeoutMs).build()));
    }

    @Override
    void print(Api api, QueryReply r, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        for (MinerAnswer a : r.getAnswersList()) {
            rows.add(List.of(Integer.toString(a.getUid()), Output.u16(a.getIncentive()), Status.describe(a.getStatus()),
                    a.getAnswer().isEmpty() ? "-" : a.getAnswer(),
                    String.format(Locale.ROOT, "%.1f", a.getLatencyUs() / 1000.0), a.getAgrees() ? "yes" : "no"));
        }
        Output.table(out, List.of("uid", "incentive", "status", "answer", "ms", "agrees"), rows);
        out.println("aggregate (" + r.getRule() + "): " + (r.getAggregate().isEmpty() ? "no answer" : r.getAggregate())
                + (r.getExpected().isEmpty() ? "" : "; exact answer " + r.getExpected()));
    }
}
