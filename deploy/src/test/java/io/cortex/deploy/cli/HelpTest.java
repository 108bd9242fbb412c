package io.cortex.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.CortexCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and subcommand of the CLI answers {@code --help} with its usage, exit code 0, and the same
 * usage when the command line is built with only the verb run (as {@code main} builds it).
 */
class HelpTest {
    @Test
    void everyCommandHasHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(CortexCli.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() > 30, "the command tree was walked: " + paths.size());
        for (List<String> path : paths) {
            CommandLine cli = CortexCli.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            int exit = cli.execute(args.toArray(String[]::new));
            assertEquals(0, exit, "cortex " + String.join(" ", args) + " exits 0: " + err);
            assertTrue(out.toString().contains("Usage: cortex"), "cortex " + String.join(" ", args) + " prints its usage:\n" + out);

            String[] argv = args.toArray(String[]::new);
            CommandLine lean = CortexCli.commandLine(CortexCli.verbsFor(argv));
            StringWriter leanOut = new StringWriter();
            lean.setOut(new PrintWriter(leanOut));
            assertEquals(0, lean.execute(argv));
            assertEquals(out.toString(), leanOut.toString(), "cortex " + String.join(" ", args) + ": the same usage built with its verb alone");
        }
    }

    @Test
    void mainBuildsOnlyTheVerbNamed() {
        assertEquals(List.of(StatusCommand.class), CortexCli.verbsFor(new String[] {"status"}));
        assertEquals(List.of(StatusCommand.class), CortexCli.verbsFor(new String[] {"--debug", "status", "--node", "h:1"}));
        assertEquals(List.of(SubnetCommand.class), CortexCli.verbsFor(new String[] {"subnet", "list"}));
        assertEquals(List.of(), CortexCli.verbsFor(new String[] {"--version"}));
        // no verb, help, or a word that is no verb: all of them, for the top usage and picocli's "did you mean"
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "status"},
                new String[] {"stauts"}, new String[] {"--debug"})) {
            assertEquals(CortexCli.VERBS, CortexCli.verbsFor(args), String.join(" ", args));
        }
    }

    @Test
    void versionNeedsNoVerb() {
        StringWriter out = new StringWriter();
        CommandLine cli = CortexCli.commandLine(CortexCli.verbsFor(new String[] {"--version"}));
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--version"));
        assertTrue(out.toString().startsWith("cortex "), out.toString());
    }

    @Test
    void anUnknownVerbIsReportedAsBefore() {
        StringWriter err = new StringWriter();
        CommandLine cli = CortexCli.commandLine(CortexCli.verbsFor(new String[] {"stauts"}));
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("stauts"));
        assertTrue(err.toString().contains("Unmatched argument at index 0: 'stauts'") && err.toString().contains("status"),
                "unknown verb, with the suggestion: " + err);
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName()) || name.equals("help")) {
                return; // an alias, or picocli's own help command
            }
            List<String> p = new ArrayList<>(path);
            p.add(name);
            paths.add(p);
            collect(sub, p, paths);
        });
    }
}
