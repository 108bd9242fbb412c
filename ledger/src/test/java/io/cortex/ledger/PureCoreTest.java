package io.cortex.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md section 1: the ledger's core imports no Pekko class; only {@code io.cortex.ledger.actor}, the
 * singleton wrapping the state machine, does. Kept by reading the sources, so a stray import fails the build.
 */
class PureCoreTest {

    @Test
    void onlyTheActorPackageImportsPekko() throws IOException {
        Path sources = Path.of("src/main/java/io/cortex/ledger");
        assertTrue(Files.isDirectory(sources), "run from the ledger module: " + sources.toAbsolutePath());
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(sources.resolve("actor")))
                    .filter(PureCoreTest::importsPekko)
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
        assertEquals(List.of(), offenders);
    }

    private static boolean importsPekko(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(l -> l.startsWith("import org.apache.pekko")
                    || l.startsWith("import static org.apache.pekko") || l.contains("org.apache.pekko."));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
