package io.cortex.deploy.replay;

import io.cortex.ledger.fixed.Rao;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code cortex replay --report DIR} writes about a {@link Counterfactual}: {@code subnets.csv} (per
 * subnet: epochs, TAO into its pool and alpha its epochs paid, recorded and replayed), {@code neurons.csv}
 * (per neuron: alpha paid, recorded and replayed, and the difference) and {@code report.html} (both, with
 * the epochs that came out the same), plus a summary for the terminal.
 */
public final class CounterfactualReport {
    /** Neurons shown per subnet in the HTML page (all of them are in neurons.csv). */
    static final int NEURONS_SHOWN = 20;

    private CounterfactualReport() {
    }

    public static String summary(Counterfactual c, String recordedRule) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "counterfactual: %s instead of %s, %d blocks, %d epochs%n", c.rule(), recordedRule,
                c.blocks(), c.epochs()));
        b.append(String.format(Locale.ROOT, "  epochs with the same input (hash) %d, the same payout %d, unmatched %d; "
                + "transactions refused on one side only %d%n", c.epochsWithTheSameInput(), c.epochsWithTheSamePayout(),
                c.epochsUnmatched(), c.receiptsDiffering()));
        b.append("  subnet  epochs   TAO in, recorded   TAO in, replayed   alpha paid, recorded   alpha paid, replayed\n");
        for (Counterfactual.SubnetTotals s : c.subnets()) {
            b.append(String.format(Locale.ROOT, "  %6d  %6d  %17s  %17s  %21s  %21s%n", s.netuid, s.epochs,
                    Rao.format(s.taoInRecorded), Rao.format(s.taoInReplayed), Rao.format(s.paidRecorded),
                    Rao.format(s.paidReplayed)));
        }
        b.append("  counterfactual state hash ").append(c.stateHash()).append('\n');
        return b.toString();
    }

    public static void write(Path dir, Counterfactual c, String recordedRule) {
        try {
            Files.createDirectories(dir);
            StringBuilder subnets = new StringBuilder("netuid,epochs,tao_in_recorded_rao,tao_in_replayed_rao,"
                    + "alpha_paid_recorded_rao,alpha_paid_replayed_rao\n");
            for (Counterfactual.SubnetTotals s : c.subnets()) {
                subnets.append(s.netuid).append(',').append(s.epochs).append(',').append(s.taoInRecorded).append(',')
                        .append(s.taoInReplayed).append(',').append(s.paidRecorded).append(',').append(s.paidReplayed)
                        .append('\n');
            }
            Files.writeString(dir.resolve("subnets.csv"), subnets);
            StringBuilder neurons = new StringBuilder("netuid,uid,hotkey,alpha_paid_recorded_rao,alpha_paid_replayed_rao,"
                    + "difference_rao\n");
            for (Counterfactual.NeuronTotals n : c.neurons()) {
                neurons.append(n.netuid).append(',').append(n.uid).append(',').append(n.hotkey).append(',')
                        .append(n.paidRecorded).append(',').append(n.paidReplayed).append(',').append(n.difference())
                        .append('\n');
            }
            Files.writeString(dir.resolve("neurons.csv"), neurons);
            Files.writeString(dir.resolve("report.html"), html(c, recordedRule));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String html(Counterfactual c, String recordedRule) {
        StringBuilder b = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Counterfactual: ")
                .append(esc(c.rule())).append("</title><style>body{font-family:sans-serif;margin:2em;max-width:70em}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;"
                        + "text-align:right}td:first-child,th:first-child{text-align:left}.up{color:#070}.down{color:#a00}"
                        + "</style></head><body>");
        b.append("<h1>").append(esc(c.rule())).append(" instead of ").append(esc(recordedRule)).append("</h1>");
        b.append(String.format(Locale.ROOT, "<p>The recorded history, %d blocks and %d epochs, re-run block by block "
                + "under another rule. Epochs with the same input (hash): %d; with the same payout: %d; unmatched: %d. "
                + "Transactions accepted on one side and refused on the other: %d (the blocks are the recorded ones: "
                + "the same actions under another rule).</p>", c.blocks(), c.epochs(), c.epochsWithTheSameInput(),
                c.epochsWithTheSamePayout(), c.epochsUnmatched(), c.receiptsDiffering()));
        b.append("<h2>Subnets</h2><table><tr><th>subnet</th><th>epochs</th><th>TAO in, recorded</th><th>TAO in, "
                + "replayed</th><th>change</th><th>alpha paid, recorded</th><th>alpha paid, replayed</th></tr>");
        for (Counterfactual.SubnetTotals s : c.subnets()) {
            b.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d</td><td>%s</td><td>%s</td>%s<td>%s</td><td>%s</td></tr>",
                    s.netuid, s.epochs, Rao.format(s.taoInRecorded), Rao.format(s.taoInReplayed),
                    change(s.taoInReplayed - s.taoInRecorded, s.taoInRecorded), Rao.format(s.paidRecorded),
                    Rao.format(s.paidReplayed)));
        }
        b.append("</table><h2>Neurons</h2><p>Alpha paid to each neuron (miner incentive and validator dividends), "
                + "the largest changes first; every neuron is in <code>neurons.csv</code>.</p>");
        List<Counterfactual.NeuronTotals> all = c.neurons();
        int netuid = -1;
        int shown = 0;
        for (Counterfactual.NeuronTotals n : all) {
            if (n.netuid != netuid) {
                if (netuid >= 0) {
                    b.append("</table>");
                }
                netuid = n.netuid;
                shown = 0;
                b.append("<h3>Subnet ").append(netuid).append("</h3><table><tr><th>hotkey</th><th>uid</th>"
                        + "<th>recorded</th><th>replayed</th><th>change</th></tr>");
            }
            if (shown++ < NEURONS_SHOWN) {
                b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%s</td><td>%s</td>%s</tr>",
                        esc(n.hotkey.shortForm()), n.uid, Rao.format(n.paidRecorded), Rao.format(n.paidReplayed),
                        change(n.difference(), n.paidRecorded)));
            }
        }
        if (netuid >= 0) {
            b.append("</table>");
        }
        return b.append("</body></html>\n").toString();
    }

    private static String change(long difference, long base) {
        String pct = base == 0 ? "" : String.format(Locale.ROOT, " (%+.1f %%)", 100.0 * difference / base);
        String css = difference > 0 ? "up" : difference < 0 ? "down" : "";
        return "<td class=\"" + css + "\">" + (difference >= 0 ? "+" : "−") + Rao.format(Math.abs(difference)) + pct + "</td>";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
