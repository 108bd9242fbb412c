package io.cortex.deploy.sim;

import static io.cortex.deploy.support.SvgChart.esc;

import io.cortex.deploy.support.SvgChart;

import io.cortex.ledger.fixed.Rao;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a simulation's results: {@code classes.csv} (per policy, epoch, subnet and class of neuron),
 * {@code subnets.csv} (per policy, epoch and subnet) and {@code report.html}, a page with no outside
 * resources: tables and SVG charts of miner emission by class, dividends per stake by validator class, each
 * subnet's best miner against its baseline, and the emission each subnet got under each policy.
 */
public final class SimulationReport {

    private SimulationReport() {
    }

    /** Writes the three files into {@code dir} (created if missing). */
    public static void write(Path dir, List<SimulationResult> results) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("classes.csv"), classesCsv(results));
        Files.writeString(dir.resolve("subnets.csv"), subnetsCsv(results));
        Files.writeString(dir.resolve("report.html"), html(results));
    }

    static String classesCsv(List<SimulationResult> results) {
        StringBuilder b = new StringBuilder("policy,epoch,netuid,mechanism,role,label,neurons,incentive,miner_alpha_rao,"
                + "validator_alpha_rao,stake,dividends_per_stake\n");
        for (SimulationResult r : results) {
            for (SimulationResult.ClassEpoch c : r.classEpochs()) {
                b.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%s,%s,%d,%.6f,%d,%d,%.0f,%.9f%n", r.policy(), c.epoch,
                        c.netuid, c.mechanism, c.role, csv(c.label), c.neurons, c.incentive, c.minerAlpha,
                        c.validatorAlpha, c.stake, c.dividendsPerStake()));
            }
        }
        return b.toString();
    }

    static String subnetsCsv(List<SimulationResult> results) {
        StringBuilder b = new StringBuilder("policy,epoch,netuid,mechanism,emission_alpha_rao,tao_in_rao,price,"
                + "top_miner,top_miner_quality,top_miner_score,best_score,baseline_score,paid_rao\n");
        for (SimulationResult r : results) {
            for (SimulationResult.SubnetEpoch s : r.subnetEpochs()) {
                b.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%d,%d,%.9f,%s,%.3f,%.6f,%.6f,%.6f,%d%n", r.policy(),
                        s.epoch(), s.netuid(), s.mechanism(), s.emissionAlpha(), s.taoIn(), s.price(), csv(s.topMiner()),
                        s.topMinerQuality(), s.topMinerScore(), s.bestScore(), s.baselineScore(), s.paidTao()));
            }
        }
        return b.toString();
    }

    /** For price-ema, when the 1 TAO cap on the moving price bound (null otherwise, or when it never did). */
    static String priceCap(SimulationResult r) {
        int[] cap = r.priceCapBinding();
        if (!r.policy().equals("price-ema") || cap[0] == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "price-ema's cap bound: %d of %d subnet-epochs priced alpha at 1 TAO or "
                + "more, where the moving price counts 1%s", cap[0], cap[1],
                cap[0] == cap[1] ? " (every one: the shares are equal's)" : "");
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    // ------------------------------------------------------------------------------------------ text

    /** The summary the command prints: per policy, miner classes, validator classes, subnets. */
    public static String summary(List<SimulationResult> results) {
        StringBuilder b = new StringBuilder();
        for (SimulationResult r : results) {
            b.append(String.format(Locale.ROOT, "policy %s: %d blocks, %d transactions (%d refused), %.1f s, state-hash %s%n",
                    r.policy(), r.blocks(), r.transactions(), r.rejected(), r.seconds(), r.stateHash()));
            if (!r.rejections().isEmpty()) {
                b.append("  refused: ").append(new TreeMap<>(r.rejections())).append('\n');
            }
            String cap = priceCap(r);
            if (cap != null) {
                b.append("  ").append(cap).append('\n');
            }
            b.append(String.format(Locale.ROOT, "  miners (epochs %d..%d)      count  share of incentive  alpha per miner"
                    + "  burned TAO  earned TAO  net TAO (per miner)%n", r.scenario().warmupEpochs(), r.scenario().epochs() - 1));
            for (String label : r.labels("miner")) {
                int n = Math.max(1, r.minerCount(label));
                b.append(String.format(Locale.ROOT, "    %-24s %5d  %17.1f %%  %15s  %10s  %10s  %10s%n", label,
                        r.minerCount(label), 100 * r.minerShare(label), Rao.format(r.minerAlpha(label) / n),
                        tao(r.minerBurn(label) / (double) n), tao(r.minerEarnedTao(label) / n), tao(r.minerNetTao(label) / n)));
            }
            b.append("  validators                 dividends per stake\n");
            for (String label : r.labels("validator")) {
                b.append(String.format(Locale.ROOT, "    %-24s %.6f%n", label, r.dividendsPerStake(label)));
            }
            b.append("  subnet  mechanism        paid TAO      TAO in  TAO share     price  top-miner score  baseline score"
                    + "  top/baseline\n");
            List<SubnetRow> subnets = SubnetRow.of(r);
            int shown = 0;
            for (SubnetRow s : subnets) {
                if (shown++ == 16) {
                    b.append(String.format(Locale.ROOT, "    ... %d more subnets in subnets.csv%n", subnets.size() - 16));
                    break;
                }
                b.append(String.format(Locale.ROOT, "    %4d  %-15s %9s  %10s %8.1f %%  %8.4f  %15.3f  %14.3f  %12s%n",
                        s.netuid(), s.mechanism(), tao(s.paid()), tao(s.taoIn()), 100 * s.share(), s.price(),
                        s.topMiner(), s.baseline(), s.topOverBaseline("x")));
            }
        }
        return b.toString();
    }

    /**
     * A subnet's line in the summary and the report, over the counted epochs: what its users paid, the TAO put
     * into its pool, its share of the emission, its mean price, and its top miner's, best and baseline scores.
     */
    private record SubnetRow(int netuid, String mechanism, long paid, long taoIn, double share, double price,
                             double topMiner, double best, double baseline) {
        static List<SubnetRow> of(SimulationResult r) {
            Map<Integer, Long> paid = r.paid();
            Map<Integer, Double> price = r.meanPrice();
            Map<Integer, Long> in = r.taoIn();
            Map<Integer, Double> shares = r.taoShares();
            Map<Integer, String> mechanisms = r.mechanisms();
            List<SubnetRow> rows = new ArrayList<>();
            r.bestVersusBaseline().forEach((netuid, a) -> rows.add(new SubnetRow(netuid, mechanisms.get(netuid),
                    paid.getOrDefault(netuid, 0L), in.getOrDefault(netuid, 0L), shares.getOrDefault(netuid, 0.0),
                    price.getOrDefault(netuid, 0.0), a[0], a[1], a[2])));
            return rows;
        }

        /** The top miner's score over the baseline's, e.g. 1.25x, or - without a baseline. */
        String topOverBaseline(String times) {
            return baseline > 0 ? String.format(Locale.ROOT, "%.2f", topMiner / baseline) + times : "-";
        }
    }

    // ------------------------------------------------------------------------------------------ html

    static String html(List<SimulationResult> results) {
        SimulationResult first = results.get(0);
        Scenario sc = first.scenario();
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Cortex simulation: ").append(esc(sc.name()))
                .append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}"
                        + "svg{background:#fff;border:1px solid #ddd;margin:.5em 0}.legend span{margin-right:1.2em}"
                        + "</style></head><body>");
        b.append("<h1>Simulation: ").append(esc(sc.name())).append("</h1>");
        b.append(String.format(Locale.ROOT, "<p>seed %d, %d subnets, %d epochs of %d blocks (the first %d left out of "
                        + "totals), %d validator rounds per epoch, consensus %s, commit-reveal %s, honest weighting: %s, "
                        + "miner quality drift %.2f per epoch.</p>", sc.seed(), sc.expandedSubnets().size(), sc.epochs(),
                sc.tempo(), sc.warmupEpochs(), sc.roundsPerEpoch(), sc.consensus(), sc.commitReveal() ? "on" : "off",
                sc.weighting().overBaseline() ? "score over baseline, sharpness " + sc.weighting().sharpness()
                        : "score, sharpness " + sc.weighting().sharpness(), sc.drift()));
        for (SimulationResult r : results) {
            b.append("<h2>Emission policy ").append(esc(r.policy())).append("</h2>");
            b.append(String.format(Locale.ROOT, "<p>%d blocks, %d transactions (%d refused) in %.1f s; final state hash "
                    + "<code>%s</code></p>", r.blocks(), r.transactions(), r.rejected(), r.seconds(), r.stateHash()));
            String cap = priceCap(r);
            if (cap != null) {
                b.append("<p><b>").append(esc(cap)).append("</b></p>");
            }
            minerSection(b, r);
            validatorSection(b, r);
            subnetSection(b, r);
        }
        if (results.size() > 1) {
            policySection(b, results);
        }
        b.append("<p>Data: <a href=\"classes.csv\">classes.csv</a>, <a href=\"subnets.csv\">subnets.csv</a>.</p>");
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void minerSection(StringBuilder b, SimulationResult r) {
        b.append("<h3>Miners: incentive by class</h3><p>Per miner: alpha paid over the counted epochs; the TAO it "
                + "burned to register; what it earned in TAO (each epoch's alpha at that epoch's price); earned less "
                + "burned.</p><table><tr><th>class</th><th>miners</th><th>share of incentive</th><th>alpha per miner"
                + "</th><th>burned TAO</th><th>earned TAO</th><th>net TAO</th></tr>");
        for (String label : r.labels("miner")) {
            int n = Math.max(1, r.minerCount(label));
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%.1f %%</td><td>%s</td><td>%s</td>"
                    + "<td>%s</td><td>%s</td></tr>", esc(label), r.minerCount(label), 100 * r.minerShare(label),
                    Rao.format(r.minerAlpha(label) / n), tao(r.minerBurn(label) / (double) n),
                    tao(r.minerEarnedTao(label) / n), tao(r.minerNetTao(label) / n)));
        }
        b.append("</table>");
        Map<String, double[]> series = new LinkedHashMap<>();
        int epochs = r.scenario().epochs();
        for (String label : r.labels("miner")) {
            series.put(label, new double[epochs]);
        }
        double[] total = new double[epochs];
        for (SimulationResult.ClassEpoch c : r.classEpochs()) {
            total[c.epoch] += c.minerAlpha;
            if (c.role.equals("miner")) {
                series.get(c.label)[c.epoch] += c.minerAlpha;
            }
        }
        for (double[] s : series.values()) {
            for (int e = 0; e < epochs; e++) {
                s[e] = total[e] > 0 ? 100 * s[e] / total[e] : 0;
            }
        }
        b.append(SvgChart.overEpochs("Share of miner incentive by class, % per epoch", series, "%"));
    }

    private static void validatorSection(StringBuilder b, SimulationResult r) {
        b.append("<h3>Validators: dividends per stake by class</h3><table><tr><th>class</th><th>dividends per stake"
                + "</th><th>relative to honest</th></tr>");
        double honest = r.dividendsPerStake("honest");
        for (String label : r.labels("validator")) {
            double d = r.dividendsPerStake(label);
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.6f</td><td>%s</td></tr>", esc(label), d,
                    honest > 0 ? String.format(Locale.ROOT, "%.2f", d / honest) : "-"));
        }
        b.append("</table>");
        Map<String, double[]> series = new LinkedHashMap<>();
        int epochs = r.scenario().epochs();
        Map<String, double[]> stake = new LinkedHashMap<>();
        for (String label : r.labels("validator")) {
            series.put(label, new double[epochs]);
            stake.put(label, new double[epochs]);
        }
        for (SimulationResult.ClassEpoch c : r.classEpochs()) {
            if (c.role.equals("validator")) {
                series.get(c.label)[c.epoch] += c.validatorAlpha;
                stake.get(c.label)[c.epoch] += c.stake;
            }
        }
        series.forEach((label, s) -> {
            double[] st = stake.get(label);
            for (int e = 0; e < epochs; e++) {
                s[e] = st[e] > 0 ? s[e] / st[e] : 0;
            }
        });
        b.append(SvgChart.overEpochs("Dividends per stake by validator class, per epoch", series, ""));
    }

    private static void subnetSection(StringBuilder b, SimulationResult r) {
        b.append("<h3>Subnets: best miner against the baseline, and emission spent</h3><table><tr><th>netuid</th>"
                + "<th>mechanism</th><th>paid by users</th><th>TAO in</th><th>share</th><th>mean price</th>"
                + "<th>top miner's score</th><th>best score</th><th>baseline score</th><th>top ÷ baseline</th></tr>");
        for (SubnetRow s : SubnetRow.of(r)) {
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%.1f %%</td>"
                            + "<td>%.4f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%s</td></tr>", s.netuid(),
                    esc(s.mechanism()), Rao.format(s.paid()), Rao.format(s.taoIn()), 100 * s.share(), s.price(),
                    s.topMiner(), s.best(), s.baseline(), s.topOverBaseline("×")));
        }
        b.append("</table>");
        Map<String, double[]> series = new LinkedHashMap<>();
        int epochs = r.scenario().epochs();
        boolean byMechanism = r.mechanisms().size() > 10;
        for (SimulationResult.SubnetEpoch s : r.subnetEpochs()) {
            String key = byMechanism ? s.mechanism() : "netuid " + s.netuid() + " (" + s.mechanism() + ")";
            series.computeIfAbsent(key, k -> new double[epochs])[s.epoch()] += s.taoIn() / (double) Rao.PER_TAO;
        }
        b.append(SvgChart.overEpochs(byMechanism ? "TAO into subnet pools per epoch, by mechanism" : "TAO into each subnet's pool per epoch",
                series, "TAO"));
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, double[]> counts = new LinkedHashMap<>();
        for (SimulationResult.SubnetEpoch s : r.subnetEpochs()) {
            String mech = s.mechanism();
            scores.computeIfAbsent(mech + ": top miner", k -> new double[epochs])[s.epoch()] += s.topMinerScore();
            scores.computeIfAbsent(mech + ": baseline", k -> new double[epochs])[s.epoch()] += s.baselineScore();
            counts.computeIfAbsent(mech, k -> new double[epochs])[s.epoch()]++;
        }
        scores.forEach((key, v) -> {
            double[] n = counts.get(key.substring(0, key.indexOf(':')));
            for (int e = 0; e < epochs; e++) {
                v[e] = n[e] > 0 ? v[e] / n[e] : 0;
            }
        });
        b.append(SvgChart.overEpochs("Mean score per epoch: top miner against the baseline, by mechanism", scores, ""));
    }

    private static void policySection(StringBuilder b, List<SimulationResult> results) {
        b.append("<h2>Emission policies compared</h2><p>Each subnet's share of the TAO emission over the counted epochs, "
                + "beside how far its top miner beat the baseline.</p><table><tr><th>netuid</th><th>mechanism</th>");
        for (SimulationResult r : results) {
            b.append("<th>").append(esc(r.policy())).append("</th>");
        }
        b.append("<th>top ÷ baseline</th></tr>");
        SimulationResult first = results.get(0);
        for (Map.Entry<Integer, String> e : first.mechanisms().entrySet()) {
            b.append("<tr><td>").append(e.getKey()).append("</td><td>").append(esc(e.getValue())).append("</td>");
            for (SimulationResult r : results) {
                b.append(String.format(Locale.ROOT, "<td>%.1f %%</td>", 100 * r.taoShares().getOrDefault(e.getKey(), 0.0)));
            }
            double[] a = first.bestVersusBaseline().get(e.getKey());
            b.append(String.format(Locale.ROOT, "<td>%s</td></tr>",
                    a != null && a[2] > 0 ? String.format(Locale.ROOT, "%.2f×", a[0] / a[2]) : "-"));
        }
        b.append("</table>");
    }

    /** Rao as TAO with four decimals, a minus sign when negative. */
    private static String tao(double rao) {
        return String.format(Locale.ROOT, "%.4f", rao / 1e9);
    }
}
