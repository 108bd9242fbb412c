package io.cortex.deploy.cli;

import static io.cortex.deploy.support.SvgChart.esc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.cortex.deploy.cli.LoadtestReport.MinerRow;
import io.cortex.deploy.cli.LoadtestReport.Report;
import io.cortex.deploy.support.SvgChart;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * A ramp's load curve ({@code cortex loadtest --ramp}): each step's throughput against its latency, overall,
 * by subnet and by miner, and the knee: the highest rate whose response p99 (from when each query was due)
 * stayed within the bound and that lost no query. Written as {@code steps.csv}, {@code subnets.csv},
 * {@code miners.csv} and {@code curve.html} (inline SVG, nothing fetched).
 */
record LoadCurve(String node, double boundMs, List<LoadCurve.Step> steps) {

    /** What a step saw of one subnet's queries; response times in microseconds from when each was due. */
    static final class SubnetTally {
        final LongAdder sent = new LongAdder();
        final LongAdder answered = new LongAdder();
        private final Histogram response = new Histogram(3);

        void ended(boolean ok, long responseMicros) {
            if (ok) {
                answered.increment();
                synchronized (response) {
                    response.recordValue(responseMicros);
                }
            }
        }

        Histogram response() {
            synchronized (response) {
                return response.copy();
            }
        }
    }

    /** One subnet in one step. */
    record SubnetRow(int netuid, long sent, long answered, double responseP50Ms, double responseP99Ms) {
    }

    /**
     * One step: the rate asked, the rate sent ({@code achieved}) and the rate answered (queries answered a second
     * of the step), what was lost, latencies in ms, and whether it stayed within the bound.
     */
    record Step(int rate, double achieved, double answeredPerSecond, long sent, long answered, long lost,
                double responseP50Ms, double responseP99Ms,
                double responseMaxMs, double serviceP50Ms, double serviceP99Ms, double lagP99Ms, double lagMaxMs,
                double blocksOnTime, boolean withinBound, List<SubnetRow> subnets, List<MinerRow> miners) {
    }

    /** A step from its report, its subnets' and miners' tallies, and the bound on the response p99. */
    static Step step(Report report, Map<Integer, SubnetTally> bySubnet, List<MinerRow> miners, double boundMs) {
        List<SubnetRow> subnets = new ArrayList<>();
        new TreeMap<>(bySubnet).forEach((netuid, t) -> {
            Histogram h = t.response();
            subnets.add(new SubnetRow(netuid, t.sent.sum(), t.answered.sum(), ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(99))));
        });
        Histogram response = report.latency();
        Histogram lag = report.run().lagMicros();
        double p99 = ms(response.getValueAtPercentile(99));
        return new Step(report.rate(), report.achievedRate(), report.ok() / (double) Math.max(1, report.seconds()),
                report.sent(), report.ok(), report.lost(),
                ms(response.getValueAtPercentile(50)), p99, ms(response.getMaxValue()),
                ms(report.service().getValueAtPercentile(50)), ms(report.service().getValueAtPercentile(99)),
                ms(lag.getValueAtPercentile(99)), ms(lag.getMaxValue()), report.blocksOnTime(),
                report.lost() == 0 && report.ok() > 0 && p99 <= boundMs, subnets, miners);
    }

    /** The knee: the highest rate within the bound that lost nothing, or null when no step was. */
    Step knee() {
        Step knee = null;
        for (Step s : steps) {
            if (s.withinBound() && (knee == null || s.rate() > knee.rate())) {
                knee = s;
            }
        }
        return knee;
    }

    String kneeLine() {
        Step k = knee();
        return k == null
                ? String.format(Locale.ROOT, "knee: none; no step kept its response p99 within %.2f ms without losing a query",
                boundMs)
                : String.format(Locale.ROOT, "knee: %d queries/s (%.1f achieved), response p99 %.2f ms within %.2f ms, "
                + "no query lost", k.rate(), k.achieved(), k.responseP99Ms(), boundMs);
    }

    /** steps.csv, subnets.csv, miners.csv and curve.html in {@code dir}. */
    void write(Path dir) {
        StringBuilder steps = new StringBuilder("rate_asked,rate_achieved,answered_per_second,sent,answered,lost,"
                + "response_p50_ms,response_p99_ms,response_max_ms,service_p50_ms,service_p99_ms,schedule_lag_p99_ms,schedule_lag_max_ms,blocks_on_time,"
                + "within_bound\n");
        StringBuilder subnets = new StringBuilder("rate_asked,netuid,sent,answered,response_p50_ms,response_p99_ms\n");
        StringBuilder miners = new StringBuilder("rate_asked,netuid,uid,hotkey,run_by,asked,answered,timeouts,errors,p50_ms,"
                + "p99_ms\n");
        for (Step s : this.steps) {
            steps.append(String.format(Locale.ROOT, "%d,%.2f,%.2f,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%b%n",
                    s.rate(), s.achieved(), s.answeredPerSecond(), s.sent(), s.answered(), s.lost(), s.responseP50Ms(), s.responseP99Ms(), s.responseMaxMs(),
                    s.serviceP50Ms(), s.serviceP99Ms(), s.lagP99Ms(), s.lagMaxMs(), s.blocksOnTime(), s.withinBound()));
            for (SubnetRow r : s.subnets()) {
                subnets.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%.3f,%.3f%n", s.rate(), r.netuid(), r.sent(),
                        r.answered(), r.responseP50Ms(), r.responseP99Ms()));
            }
            for (MinerRow m : s.miners()) {
                miners.append(String.format(Locale.ROOT, "%d,%d,%d,%s,%s,%d,%d,%d,%d,%.3f,%.3f%n", s.rate(), m.netuid(),
                        m.uid(), m.hotkey(), m.ownKeys() ? "own keys" : "hosted dev", m.asked(), m.answered(), m.timeouts(),
                        m.errors(), m.p50Us() / 1000.0, m.p99Us() / 1000.0));
            }
        }
        LoadtestReport.write(dir.resolve("steps.csv"), steps.toString());
        LoadtestReport.write(dir.resolve("subnets.csv"), subnets.toString());
        LoadtestReport.write(dir.resolve("miners.csv"), miners.toString());
        LoadtestReport.write(dir.resolve("curve.html"), html());
    }

    /** The page: the knee, latency against achieved throughput (overall, then by subnet), and the steps' table. */
    String html() {
        double[] x = new double[steps.size()];
        Map<String, double[]> overall = new LinkedHashMap<>();
        double[] p50 = new double[x.length];
        double[] p99 = new double[x.length];
        double[] service = new double[x.length];
        TreeSet<Integer> netuids = new TreeSet<>();
        for (int i = 0; i < x.length; i++) {
            Step s = steps.get(i);
            x[i] = s.achieved();
            p50[i] = s.responseP50Ms();
            p99[i] = s.responseP99Ms();
            service[i] = s.serviceP99Ms();
            s.subnets().forEach(r -> netuids.add(r.netuid()));
        }
        overall.put("response p50", p50);
        overall.put("response p99", p99);
        overall.put("service p99", service);
        Map<String, double[]> bySubnet = new LinkedHashMap<>();
        for (int netuid : netuids) {
            double[] line = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                for (SubnetRow r : steps.get(i).subnets()) {
                    if (r.netuid() == netuid) {
                        line[i] = r.responseP99Ms();
                    }
                }
            }
            bySubnet.put("subnet " + netuid + " response p99", line);
        }
        Map<String, double[]> byMiner = new TreeMap<>();
        for (int i = 0; i < x.length; i++) {
            for (MinerRow m : steps.get(i).miners()) {
                byMiner.computeIfAbsent(String.format(Locale.ROOT, "subnet %d uid %03d", m.netuid(), m.uid()),
                        k -> new double[x.length])[i] = m.p99Us() / 1000.0;
            }
        }
        String first = x.length == 0 ? "" : String.format(Locale.ROOT, "%.0f queries/s", x[0]);
        String last = x.length == 0 ? "" : String.format(Locale.ROOT, "%.0f queries/s achieved", x[x.length - 1]);
        StringBuilder b = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Cortex load curve: ")
                .append(esc(node)).append("</title><style>body{font:14px system-ui,sans-serif;margin:20px}"
                        + "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}"
                        + ".legend span{margin-right:14px}</style></head><body>");
        b.append("<h1>Load curve of ").append(esc(node)).append("</h1><p><b>").append(esc(kneeLine())).append("</b></p>");
        b.append("<p>Latency counts from when each query was due (an open workload: the rate does not wait for replies). "
                + "The dashed line is the bound on the response p99.</p>");
        b.append(SvgChart.lines("Latency (ms) against throughput", x, first, last, overall, "ms", boundMs));
        b.append(SvgChart.lines("Response p99 (ms) by subnet", x, first, last, bySubnet, "ms", boundMs));
        b.append(SvgChart.lines("Each miner's round trip p99 (ms), at the node's dendrite, when it answered", x, first, last,
                byMiner, "ms", Double.NaN));
        b.append("<table><tr><th>rate asked</th><th>sent/s</th><th>answered/s</th><th>lost</th><th>response p50</th>"
                + "<th>response p99</th><th>service p99</th><th>schedule lag p99</th><th>within bound</th></tr>");
        for (Step s : steps) {
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.1f</td><td>%.1f</td><td>%d</td><td>%.2f</td><td>%.2f</td>"
                            + "<td>%.2f</td><td>%.2f</td><td>%s</td></tr>", s.rate(), s.achieved(), s.answeredPerSecond(), s.lost(),
                    s.responseP50Ms(), s.responseP99Ms(), s.serviceP99Ms(), s.lagP99Ms(), s.withinBound() ? "yes" : "no"));
        }
        return b.append("</table></body></html>\n").toString();
    }

    /** The curve as JSON: the bound, the knee's rate (or null), and every step with its subnets and miners. */
    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("node", node);
        root.put("p99_bound_ms", boundMs);
        Step knee = knee();
        root.put("knee_rate", knee == null ? null : knee.rate());
        root.put("steps", steps);
        try {
            return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the load curve does not serialize", e);
        }
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
