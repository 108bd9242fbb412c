package io.cortex.deploy.cli;

import io.cortex.deploy.support.CortexLogging;
import picocli.CommandLine.Option;

/**
 * {@code --log-format text|json} of the commands that run for long (a node, an outside neuron, a testnet):
 * how the process logs from the moment the command starts ({@link CortexLogging}), and how the processes a
 * testnet starts log.
 */
public final class LogFormatOption {
    @Option(names = "--log-format", paramLabel = "text|json",
            description = "text (default), or json: one JSON object a line, with the node's name, netuid and block "
                    + "where they apply (default: $CORTEX_LOG_FORMAT, else text)")
    String format;

    /** Switches this process's logs to the format given, and passes it to the processes it starts. */
    void apply() {
        if (format == null) {
            return;
        }
        if (!CortexLogging.isFormat(format)) {
            throw new IllegalArgumentException("--log-format is text or json, not '" + format + "'");
        }
        System.setProperty("cortex.log.format", format);
        CortexLogging.use(format);
    }
}
