package io.cortex.sharding.ops;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cortex.protocol.api.EpochReply;
import io.cortex.core.identity.Address;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/** The dashboard's JSON that is not an API reply as it stands: merged miner reports, trimmed epoch outputs. */
final class DashboardData {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardData() {
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static String json(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Every node's report on one subnet, merged: per miner hotkey the queries, answers, timeouts, other
     * refusals, and mean and maximum round trip in ms; for the subnet, the answered round trips' percentiles.
     */
    static String queries(int netuid, List<MinerStats.Report> reports) {
        Map<Address, long[]> miners = new LinkedHashMap<>(); // queries, answered, timed out, refused, µs sum, µs max
        Histogram all = new Histogram(1, java.util.concurrent.TimeUnit.MINUTES.toMicros(5), 2);
        TreeSet<String> nodes = new TreeSet<>();
        for (MinerStats.Report r : reports) {
            nodes.add(r.node());
            all.add(r.roundTrips());
            for (int i = 0; i < r.hotkeys().length; i++) {
                long[] m = miners.computeIfAbsent(r.hotkeys()[i], a -> new long[6]);
                m[0] += r.queries()[i];
                m[1] += r.answered()[i];
                m[2] += r.timedOut()[i];
                m[3] += r.refused()[i];
                m[4] += r.roundTripMicros()[i];
                m[5] = Math.max(m[5], r.maxMicros()[i]);
            }
        }
        return json(g -> {
            g.writeStartObject();
            g.writeNumberField("netuid", netuid);
            g.writeArrayFieldStart("nodes");
            for (String n : nodes) {
                g.writeString(n);
            }
            g.writeEndArray();
            long queries = 0;
            long timedOut = 0;
            long refused = 0;
            for (long[] m : miners.values()) {
                queries += m[0];
                timedOut += m[2];
                refused += m[3];
            }
            g.writeObjectFieldStart("subnet");
            g.writeNumberField("queries", queries);
            g.writeNumberField("answered", all.getTotalCount());
            g.writeNumberField("timedOut", timedOut);
            g.writeNumberField("refused", refused);
            for (double p : new double[] {50, 90, 99}) {
                g.writeNumberField("p" + (int) p + "Ms", all.getTotalCount() == 0 ? 0 : all.getValueAtPercentile(p) / 1000.0);
            }
            g.writeNumberField("maxMs", all.getMaxValue() / 1000.0);
            g.writeEndObject();
            g.writeArrayFieldStart("miners");
            for (Map.Entry<Address, long[]> e : miners.entrySet()) {
                long[] m = e.getValue();
                g.writeStartObject();
                g.writeStringField("hotkey", e.getKey().toString());
                g.writeNumberField("queries", m[0]);
                g.writeNumberField("answered", m[1]);
                g.writeNumberField("timedOut", m[2]);
                g.writeNumberField("refused", m[3]);
                g.writeNumberField("meanMs", m[1] == 0 ? 0 : m[4] / 1000.0 / m[1]);
                g.writeNumberField("maxMs", m[5] / 1000.0);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static ObjectNode output(EpochReply e) {
        try {
            return JSON.readTree(e.getOutputJson()) instanceof ObjectNode o ? o : null;
        } catch (IOException malformed) {
            return null;
        }
    }

    /**
     * Recorded epochs, oldest first: each one's index, block, output (epoch-io.md's, without the bonds matrix,
     * which the page does not draw) and what each uid was paid as a miner and as a validator.
     */
    static String epochs(List<EpochReply> epochs) {
        return json(g -> {
            g.writeStartArray();
            for (EpochReply e : epochs) {
                ObjectNode output = output(e);
                if (output == null) {
                    continue; // not an epoch output: left out, rather than the whole reply failing
                }
                output.remove("bonds");
                g.writeStartObject();
                g.writeNumberField("epoch", e.getEpoch());
                g.writeNumberField("block", e.getBlock());
                g.writeFieldName("output");
                JSON.writeTree(g, output);
                g.writeArrayFieldStart("minerPaid");
                for (long paid : e.getMinerPaidList()) {
                    g.writeNumber(paid);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("validatorPaid");
                for (long paid : e.getValidatorPaidList()) {
                    g.writeNumber(paid);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }
}
