package io.cortex.deploy.testnet;

import io.cortex.protocol.api.EpochEvent;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.Neuron;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The live table {@code testnet up} prints: a row per epoch of every subnet. */
public final class EpochTable {
    static final String FORMAT = "%6s  %6s  %5s  %12s  %-34s  %s%n";

    private final PrintWriter out;
    private boolean headerShown;

    public EpochTable(PrintWriter out) {
        this.out = out;
    }

    public synchronized void row(EpochEvent e) {
        if (!headerShown) {
            headerShown = true;
            out.printf(Locale.ROOT, FORMAT, "subnet", "block", "epoch", "emission (α)", "top miners (uid: incentive)",
                    "validators (uid: dividends)");
        }
        Metagraph m = e.getMetagraph();
        List<Neuron> neurons = m.getNeuronsList();
        String miners = neurons.stream().filter(n -> n.getIncentive() > 0)
                .sorted(Comparator.comparingInt(Neuron::getIncentive).reversed()).limit(3)
                .map(n -> String.format(Locale.ROOT, "%d: %.3f", n.getUid(), n.getIncentive() / 65535.0))
                .collect(Collectors.joining("  "));
        String validators = neurons.stream().filter(n -> n.getDividends() > 0)
                .sorted(Comparator.comparingInt(Neuron::getDividends).reversed()).limit(4)
                .map(n -> String.format(Locale.ROOT, "%d: %.3f", n.getUid(), n.getDividends() / 65535.0))
                .collect(Collectors.joining("  "));
        out.printf(Locale.ROOT, FORMAT, m.getNetuid(), m.getBlock(), m.getEpochIndex(),
                String.format(Locale.ROOT, "%.4f", e.getEmission() / 1e9), miners.isEmpty() ? "(none yet)" : miners,
                validators.isEmpty() ? "(none yet)" : validators);
        out.flush();
    }
}
