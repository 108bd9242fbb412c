package io.cortex.deploy.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How every process of {@code cortex.jar} logs (nodes, outside neurons and commands alike): to stderr, so that
 * a command's results on stdout stay clean; Cortex's own lines and cluster membership (members joining,
 * leaving, unreachable, downed) at INFO, everything else at WARN. Logback finds this class through
 * {@code META-INF/services}; it replaces a {@code logback.xml}, whose XML parsing took a tenth of a second of
 * every short command. {@code -Dlogback.configurationFile=FILE} still overrides it.
 *
 * <p>Two formats: {@code text}, a line a person reads, and {@code json}, one JSON object a line for a log
 * collector (Logback's {@link JsonEncoder}: time, level, thread, logger, the formatted message, the MDC, the
 * key-value pairs such as {@code netuid} and {@code block}, and the context's properties, which hold the
 * {@linkplain #name(String) process's name}). The system property {@code cortex.log.format}, else the
 * environment variable {@code CORTEX_LOG_FORMAT}, chooses it; {@code text} by default.
 */
public final class CortexLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";
    /** The context property, and JSON field under {@code context.properties}, naming the process (a node's name). */
    public static final String NAME = "node";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (userFile()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // Logback's own configurator reads the user's file
        }
        String format = System.getProperty("cortex.log.format", System.getenv().getOrDefault("CORTEX_LOG_FORMAT", "text"));
        configure(context, format);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The formats {@code cortex.log.format} takes. */
    public static boolean isFormat(String format) {
        return format.equals("text") || format.equals("json");
    }

    /** Logs in {@code format} from now on (the process's Logback, if it runs on Logback). */
    public static void use(String format) {
        if (!isFormat(format)) {
            throw new IllegalArgumentException("the log format is text or json, not '" + format + "'");
        }
        if (!userFile() && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            String name = context.getProperty(NAME);
            context.reset();
            configure(context, format);
            if (name != null) {
                context.putProperty(NAME, name);
            }
        }
    }

    /** Whether the user named a Logback file of their own ({@code -Dlogback.configurationFile}), which then rules. */
    private static boolean userFile() {
        return System.getProperty("logback.configurationFile") != null;
    }

    /** Names this process in every JSON line from now on ({@code context.properties.node}). */
    public static void name(String name) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.putProperty(NAME, name);
        }
    }

    private static void configure(LoggerContext context, String format) {
        boolean json = format.toLowerCase(Locale.ROOT).equals("json");
        Encoder<ILoggingEvent> encoder;
        if (json) {
            JsonEncoder lines = new JsonEncoder();
            lines.setWithSequenceNumber(false);
            lines.setWithNanoseconds(false);
            lines.setWithMessage(false); // the pattern with {} placeholders: formattedMessage has it filled in
            lines.setWithArguments(false);
            lines.setWithFormattedMessage(true);
            encoder = lines;
        } else {
            PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern(PATTERN);
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("org.apache.pekko").setLevel(Level.WARN);
        context.getLogger("org.apache.pekko.cluster.Cluster").setLevel(Level.INFO);
        context.getLogger("io.cortex").setLevel(Level.INFO);
        if (!json && !isFormat(format)) {
            context.getLogger(CortexLogging.class).warn("unknown log format '{}' (text or json): logging text", format);
        }
    }
}
