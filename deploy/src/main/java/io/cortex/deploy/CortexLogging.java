package io.cortex.deploy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * How every process of {@code cortex.jar} logs (nodes, outside neurons and commands alike): to stderr, so that
 * a command's results on stdout stay clean; Cortex's own lines and cluster membership (members joining,
 * leaving, unreachable, downed) at INFO, everything else at WARN. Logback finds this class through
 * {@code META-INF/services}; it replaces a {@code logback.xml}, whose XML parsing took a tenth of a second of
 * every short command. {@code -Dlogback.configurationFile=FILE} still overrides it.
 */
public final class CortexLogging extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
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
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
