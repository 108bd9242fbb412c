package io.cortex.deploy.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Logback is configured by {@link CortexLogging}, found through META-INF/services, with no logback.xml. */
class CortexLoggingTest {
    @Test
    void logsToStderrWithCortexAtInfoAndTheRestAtWarn() {
        LoggerContext context = assertInstanceOf(LoggerContext.class, LoggerFactory.getILoggerFactory());
        assertEquals(null, CortexLoggingTest.class.getResource("/logback.xml"), "no XML configuration ships");
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        ConsoleAppender<?> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
        assertEquals("System.err", stderr.getTarget());
        assertTrue(stderr.isStarted());
        assertEquals(Level.INFO, context.getLogger("io.cortex.sharding").getEffectiveLevel());
        assertEquals(Level.INFO, context.getLogger("org.apache.pekko.cluster.Cluster").getEffectiveLevel());
        assertEquals(Level.WARN, context.getLogger("org.apache.pekko.remote").getEffectiveLevel());
        assertEquals(Level.WARN, context.getLogger("io.grpc").getEffectiveLevel());
    }
}
