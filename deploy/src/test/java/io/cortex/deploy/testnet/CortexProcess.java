package io.cortex.deploy.testnet;

import io.cortex.deploy.CortexCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code cortex ARGS...} as a process of its own (this JVM's java and class path), its output in a log file. */
final class CortexProcess implements AutoCloseable {
    final Process process;
    final Path log;
    final List<String> command;

    private CortexProcess(Process process, Path log, List<String> command) {
        this.process = process;
        this.log = log;
        this.command = command;
    }

    /** Starts {@code cortex args} with {@code CORTEX_HOME=home}, writing its output to {@code log}. */
    static CortexProcess start(Path home, Path log, String... args) throws IOException {
        return start(home, log, Map.of(), args);
    }

    /** As {@link #start(Path, Path, String...)}, with {@code env} added to the process's environment. */
    static CortexProcess start(Path home, Path log, Map<String, String> env, String... args) throws IOException {
        return java(home, log, env, List.of("--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), CortexCli.class.getName()), args);
    }

    /**
     * Starts {@code java -jar jar args}, a program built elsewhere, as {@link #start} starts {@code cortex}; the
     * jar's manifest names its class path and the JDK packages it opens.
     */
    static CortexProcess jar(Path home, Path log, Path jar, String... args) throws IOException {
        return java(home, log, Map.of(), List.of("-jar", jar.toString()), args);
    }

    private static CortexProcess java(Path home, Path log, Map<String, String> env, List<String> program, String... args)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(program);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CORTEX_HOME", home.toString());
        builder.environment().remove("CORTEX_NODE");
        builder.environment().remove("CORTEX_PASSWORD");
        builder.environment().putAll(env);
        return new CortexProcess(builder.start(), log, command);
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then the exit within {@code grace}; -1 when it had to be killed. */
    int terminate(Duration grace) throws InterruptedException {
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate(Duration.ofSeconds(10));
        }
    }
}
