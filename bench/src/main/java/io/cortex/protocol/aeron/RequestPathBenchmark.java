package io.cortex.protocol.aeron;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.cortex.core.identity.Keypair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The axon's request path, one request at a time, for its allocation (run with {@code -prof gc}; issue 19):
 * a REQUEST sealed as a dendrite seals it, then everything the axon does with it on its poller thread — its
 * checks (session, MAC, size, nonce, freshness, length, body hash, deadline, miner, room), the hand-off to the
 * miner, and the sealed RESPONSE offered on the caller's reply publication (IPC, drained each time).
 * {@code answered}: the miner answers at once, so the request is handed over. {@code refusedLate}: the request
 * is past its deadline, so it passes every check but the deadline and is answered 408 without a hand-off.
 * The session is opened once, by a real signed HELLO. Called on the benchmark's thread instead of the
 * transport's poller, which this axon does not have.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx512m"})
@State(Scope.Thread)
public class RequestPathBenchmark {
    /** A compute subnet's task: what a validator sends (136 bytes, as in the query-path benchmark). */
    private static final byte[] TASK = new byte[136];
    private static final byte[] ANSWER = new byte[36];
    private static final int NETUID = 1;

    private Path directory;
    private MediaDriver driver;
    private Aeron aeron;
    private Axon axon;
    private Subscription replies;
    private Image image;
    private SessionMac mac;
    private long sessionId;
    private long nonce;
    private long correlation;
    private final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(1024);
    private final RequestFlyweight request = new RequestFlyweight();
    private final FragmentHandler drain = (buffer, offset, length, header) -> { };

    @Setup(Level.Trial)
    public void open() throws Exception {
        directory = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir")),
                "cortex-aeron-bench-");
        driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(directory.toString())
                .threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new SleepingMillisIdleStrategy(1))
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(directory.toString()));
        axon = new Axon(aeron, new QueryTransport.Context(), List.of(), new AtomicLong(), new RefusalLog("bench", 60_000));
        Keypair miner = Keypair.generate();
        Keypair caller = Keypair.generate();
        axon.register(miner, (r, responder) -> responder.respond(Status.OK, ANSWER),
                Axon.CallerPolicy.of(Set.of(caller.address()), Set.of()));
        replies = aeron.addSubscription(QueryTransport.IPC, QueryTransport.DENDRITE_IPC_STREAM);
        image = ipcImage();

        // the session: a signed HELLO, answered on the IPC reply stream by a HELLO_ACK the miner signed
        SessionCrypto.Ephemeral ephemeral = SessionCrypto.ephemeral();
        ExpandableArrayBuffer hello = new ExpandableArrayBuffer(512);
        int signedLength = HelloFlyweight.encode(hello, 0, 1, System.currentTimeMillis(), 42, caller.address(), miner.address(),
                ephemeral.publicKey(), NETUID, QueryTransport.IPC, QueryTransport.DENDRITE_IPC_STREAM);
        byte[] signed = new byte[signedLength];
        hello.getBytes(0, signed);
        hello.putBytes(signedLength, caller.sign(signed));
        axon.frames().dispatch(hello, 0, signedLength + HelloFlyweight.SIGNATURE_LENGTH, image);
        UnsafeBuffer ack = new UnsafeBuffer(new byte[HelloAckFlyweight.LENGTH]);
        long giveUp = System.currentTimeMillis() + 10_000;
        boolean[] got = {false};
        while (!got[0]) {
            if (System.currentTimeMillis() > giveUp) {
                throw new IllegalStateException("no HELLO_ACK: " + axon.counters());
            }
            replies.poll((buffer, offset, length, header) -> {
                buffer.getBytes(offset, ack, 0, HelloAckFlyweight.LENGTH);
                got[0] = true;
            }, 1);
        }
        if (FrameHeader.status(ack, 0) != Status.OK) {
            throw new IllegalStateException("HELLO refused: " + FrameHeader.status(ack, 0));
        }
        byte[] transcript = HelloAckFlyweight.signedBytes(SessionCrypto.sha256(signed), ack, 0);
        mac = new SessionMac(SessionCrypto.sessionKey(ephemeral.privateKey(), HelloAckFlyweight.ephemeral(ack, 0), transcript));
        sessionId = FrameHeader.sessionId(ack, 0);
    }

    /** An IPC image, as the poller would hand the axon one (the HELLO's source: IPC). */
    private Image ipcImage() throws InterruptedException {
        Subscription source = aeron.addSubscription(QueryTransport.IPC, 1001);
        Publication sender = aeron.addPublication(QueryTransport.IPC, 1001);
        long giveUp = System.currentTimeMillis() + 10_000;
        while (source.imageCount() == 0) {
            if (System.currentTimeMillis() > giveUp) {
                throw new IllegalStateException("no IPC image");
            }
            Thread.sleep(1);
        }
        return source.imageAtIndex(0);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        AxonCounters c = axon.counters();
        CloseHelper.quietCloseAll(aeron, driver);
        if (c.sendFailures.get() > 0 || c.unauthorized.get() > 0 || c.dropped.get() > 0) {
            throw new IllegalStateException("the benchmark measured another path than it meant: " + c);
        }
    }

    @Benchmark
    public long answered() {
        return send(System.currentTimeMillis() + 10_000);
    }

    @Benchmark
    public long refusedLate() {
        return send(System.currentTimeMillis() - 1);
    }

    private long send(long deadline) {
        int length = request.wrap(frame, 0).netuid(NETUID).correlationId(++correlation).sessionId(sessionId).nonce(++nonce)
                .timestamp(System.currentTimeMillis()).deadline(deadline).seal(TASK, mac);
        axon.frames().dispatch(frame, 0, length, image);
        axon.poll(); // what the poller does besides: resends what back-pressure held (none, when the replies are drained)
        while (replies.poll(drain, 16) > 0) {
            // the response, offered on the reply publication; drained so that the publication never back-pressures
        }
        return axon.counters().served.get() + axon.counters().expired.get();
    }
}
