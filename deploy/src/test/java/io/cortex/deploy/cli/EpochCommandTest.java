package io.cortex.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.CortexCli;
import io.cortex.ledger.yuma.EpochInput;
import io.cortex.ledger.yuma.EpochJson;
import io.cortex.ledger.yuma.EpochOutput;
import io.cortex.ledger.yuma.YumaEpoch;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code cortex epoch} as a user runs it: the shipped example, {@code --repeat}, and bad input. */
class EpochCommandTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "epoch-input.json");

    @TempDir
    Path dir;

    record Run(int exitCode, String err) {
    }

    private Run run(String... args) {
        StringWriter err = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, err.toString());
    }

    @Test
    void shippedExampleProducesTheEpochOutputOfTheLedgerFunction() throws IOException {
        Path out = dir.resolve("out.json");

        Run run = run("epoch", "--in", EXAMPLE.toString(), "--out", out.toString());

        assertEquals(0, run.exitCode(), run.err());
        EpochInput input = EpochJson.readInput(Files.readAllBytes(EXAMPLE));
        byte[] expected = EpochJson.outputBytes(YumaEpoch.run(input));
        assertEquals(new String(expected, StandardCharsets.UTF_8), Files.readString(out));
        assertTrue(Files.readString(out).contains("\"validator_emission\""));
    }

    @Test
    void repeatPrintsTheMedianTimePerEpoch() {
        Run run = run("epoch", "--in", EXAMPLE.toString(), "--out", dir.resolve("o.json").toString(), "--repeat", "5");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().matches("epoch n=16: median \\d+\\.\\d{3} ms per epoch over 5 runs\\R"), run.err());
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"n\": 2,", "malformed JSON"),
                Arguments.of("missing field", example().replaceFirst("\"tempo\": 360,", ""), "tempo: missing"),
                Arguments.of("wrong array length", example().replaceFirst("\"stake\": \\[", "\"stake\": [1, "),
                        "stake: has 17 entries, expected n = 16"),
                Arguments.of("uid out of range", example().replace("\"weights\": [[[4,", "\"weights\": [[[40,"),
                        "weights[0][0]: uid 40 out of range (n = 16)"),
                Arguments.of("negative stake", example().replaceFirst("\"stake\": \\[4000000000000", "\"stake\": [-4"),
                        "stake[0]: negative (-4)"),
                Arguments.of("u16 out of range", example().replaceFirst("\"kappa\": 32767", "\"kappa\": 65536"),
                        "hyper.kappa: 65536 out of range (0 .. 65535)"),
                Arguments.of("float for an integer", example().replaceFirst("\"block\": 720", "\"block\": 720.5"),
                        "block: must be an integer, got 720.5"),
                Arguments.of("duplicate uid", example().replaceFirst("\\[\\[4, (\\d+)\\], \\[5,", "[[4, $1], [4,"),
                        "weights[0][1]: uid 4 appears twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputGivesOneLineNamingTheFieldAndExitCode2(String name, String json, String expected) throws IOException {
        Path in = dir.resolve("in.json");
        Files.writeString(in, json);

        Run run = run("epoch", "--in", in.toString(), "--out", dir.resolve("out.json").toString());

        assertEquals(2, run.exitCode());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("cortex epoch: ") && run.err().contains(expected), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        assertFalse(Files.exists(dir.resolve("out.json")), "nothing is written for bad input");
    }

    @Test
    void missingFileIsOneLineWithExitCode2() {
        Run run = run("epoch", "--in", dir.resolve("nope.json").toString(), "--out", "-");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("cannot read") && run.err().contains("no such file"), run.err());
    }

    @Test
    void outputEqualsAFreshRunBitForBit() throws IOException {
        EpochInput input = EpochJson.readInput(Files.readAllBytes(EXAMPLE));
        EpochOutput first = YumaEpoch.run(input);
        assertEquals(first, YumaEpoch.run(EpochJson.readInput(EpochJson.inputBytes(input))));
    }

    private static String example() {
        try {
            return Files.readString(EXAMPLE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
