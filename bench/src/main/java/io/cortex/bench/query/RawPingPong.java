package io.cortex.bench.query;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.cortex.protocol.aeron.QueryTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Raw Aeron ping-pong: the loop of Aeron's Ping/Pong samples (offer, then poll for the echo; the pong echoes
 * what it reads), with nothing of Cortex on the way: no session, no MAC, no futures. Unlike the samples,
 * whose polling loops busy-spin by design, its idle strategies are the ones a Cortex node uses (system
 * properties {@code cortex.aeron.driver-idle} and {@code cortex.aeron.client-idle}), and its drivers run
 * exactly as a node's: shared threading, 1 MiB terms. Messages are as long as a Cortex request frame.
 * <pre>
 *   udp-pong PING_PORT PONG_PORT   echoes, until killed
 *   udp-ping PING_PORT PONG_PORT   measures against it (a second process, a second driver)
 *   ipc                            both ends in one process over one driver
 * </pre>
 */
public final class RawPingPong {
    static final int PING_STREAM = 2001;
    static final int PONG_STREAM = 2002;
    static final int LENGTH = 248;

    private RawPingPong() {
    }

    public static void main(String[] args) throws Exception {
        RoundTrips.Settings s = new RoundTrips.Settings(Integer.getInteger("bench.warmup", 20_000),
                Integer.getInteger("bench.count", 50_000), Integer.getInteger("bench.inFlight", 32),
                Integer.getInteger("bench.seconds", 10));
        switch (args[0]) {
            case "udp-pong" -> {
                try (MediaDriver driver = driver("raw-pong"); Aeron aeron = connect(driver)) {
                    pong(aeron.addSubscription(udp(args[1]), PING_STREAM), aeron.addPublication(udp(args[2]), PONG_STREAM),
                            new AtomicBoolean(true));
                }
            }
            case "udp-ping" -> {
                try (MediaDriver driver = driver("raw-ping"); Aeron aeron = connect(driver)) {
                    ping("raw-aeron-udp", s, aeron.addPublication(udp(args[1]), PING_STREAM),
                            aeron.addSubscription(udp(args[2]), PONG_STREAM));
                }
            }
            case "ipc" -> {
                try (MediaDriver driver = driver("raw-ipc"); Aeron aeron = connect(driver)) {
                    AtomicBoolean running = new AtomicBoolean(true);
                    Subscription pings = aeron.addSubscription("aeron:ipc", PING_STREAM);
                    Publication pongs = aeron.addPublication("aeron:ipc", PONG_STREAM);
                    Thread pong = new Thread(() -> pong(pings, pongs, running), "raw-pong");
                    pong.start();
                    ping("raw-aeron-ipc", s, aeron.addPublication("aeron:ipc", PING_STREAM),
                            aeron.addSubscription("aeron:ipc", PONG_STREAM));
                    running.set(false);
                    pong.join();
                }
            }
            default -> throw new IllegalArgumentException("udp-pong | udp-ping | ipc");
        }
    }

    static String udp(String port) {
        return "aeron:udp?endpoint=127.0.0.1:" + port;
    }

    static MediaDriver driver(String name) throws Exception {
        Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm", "qbench-" + name)
                : Files.createTempDirectory("qbench-" + name);
        return MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(dir.toString())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(QueryTransport.idle(System.getProperty("cortex.aeron.driver-idle", "backoff")))
                .publicationTermBufferLength(1 << 20)
                .ipcTermBufferLength(1 << 20)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
    }

    static Aeron connect(MediaDriver driver) {
        return Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    static IdleStrategy clientIdle() {
        return QueryTransport.idle(System.getProperty("cortex.aeron.client-idle", "backoff"));
    }

    static void pong(Subscription in, Publication out, AtomicBoolean running) {
        IdleStrategy idle = clientIdle();
        FragmentHandler echo = (buffer, offset, length, header) -> {
            while (out.offer(buffer, offset, length) < 0) {
                Thread.onSpinWait();
            }
        };
        FragmentAssembler assembler = new FragmentAssembler(echo);
        while (running.get()) {
            idle.idle(in.poll(assembler, 16));
        }
    }

    static void ping(String name, RoundTrips.Settings s, Publication out, Subscription in) throws InterruptedException {
        while (!out.isConnected() || !in.isConnected()) {
            Thread.sleep(10);
        }
        IdleStrategy idle = clientIdle();
        UnsafeBuffer message = new UnsafeBuffer(new byte[LENGTH]);
        long[] received = new long[1];
        Histogram rtt = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        FragmentAssembler onPong = new FragmentAssembler((DirectBuffer buffer, int offset, int length, io.aeron.logbuffer.Header h) -> {
            rtt.recordValue(System.nanoTime() - buffer.getLong(offset));
            received[0]++;
        });
        roundTrips(s.warmup(), out, in, message, onPong, received, idle);
        rtt.reset();
        long start = System.nanoTime();
        roundTrips(s.count(), out, in, message, onPong, received, idle);
        double sequentialSeconds = (System.nanoTime() - start) / 1e9;
        double p50 = rtt.getValueAtPercentile(50) / 1e3;
        double p99 = rtt.getValueAtPercentile(99) / 1e3;
        double mean = rtt.getMean() / 1e3;

        // then inFlight messages outstanding for the given time: each echo sends the next
        long sent = 0;
        long before = received[0];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(s.seconds());
        long concurrentStart = System.nanoTime();
        while (System.nanoTime() < deadline) {
            while (sent - (received[0] - before) < s.inFlight()) {
                message.putLong(0, System.nanoTime());
                if (out.offer(message) < 0) {
                    break;
                }
                sent++;
            }
            idle.idle(in.poll(onPong, 16));
        }
        while (received[0] - before < sent) {
            idle.idle(in.poll(onPong, 16));
        }
        double concurrentSeconds = (System.nanoTime() - concurrentStart) / 1e9;
        System.out.printf(Locale.ROOT, "RESULT %s p50_us=%.1f p99_us=%.1f mean_us=%.1f seq_qps=%.0f conc_qps=%.0f in_flight=%d%n",
                name, p50, p99, mean, s.count() / sequentialSeconds,
                (received[0] - before) / concurrentSeconds, s.inFlight());
    }

    private static void roundTrips(int count, Publication out, Subscription in, UnsafeBuffer message,
                                   FragmentAssembler onPong, long[] received, IdleStrategy idle) {
        for (int i = 0; i < count; i++) {
            long expected = received[0] + 1;
            message.putLong(0, System.nanoTime());
            while (out.offer(message) < 0) {
                Thread.onSpinWait();
            }
            idle.reset();
            while (received[0] < expected) {
                idle.idle(in.poll(onPong, 16));
            }
        }
    }
}
