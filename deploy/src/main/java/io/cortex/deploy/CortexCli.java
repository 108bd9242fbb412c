package io.cortex.deploy;

import io.cortex.deploy.cli.ClassArchiveTraining;
import io.cortex.deploy.cli.EpochCommand;
import io.cortex.deploy.cli.ExplainCommand;
import io.cortex.deploy.cli.NeuronCommands;
import io.cortex.deploy.cli.OutsideNeuronCommands;
import io.cortex.deploy.cli.QueryCommand;
import io.cortex.deploy.cli.ReplayCommand;
import io.cortex.deploy.cli.SimulateCommand;
import io.cortex.deploy.cli.StatusCommand;
import io.cortex.deploy.cli.SubnetCommand;
import io.cortex.deploy.cli.TestnetCommand;
import io.cortex.deploy.cli.WalletCommand;
import io.cortex.deploy.cli.LedgerCommand;
import io.cortex.deploy.cli.LoadtestCommand;
import io.cortex.deploy.cli.NetworkCommand;
import io.cortex.deploy.cli.NodeCommand;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cortex}: the one command users type (through the {@code ./cortex} script at the repository root).
 * Each verb is a picocli subcommand in {@code io.cortex.deploy.cli}, listed in {@link #VERBS}. Exit codes: 0 success, 1 failure of
 * the environment, 2 bad input or usage.
 */
@Command(name = "cortex",
        mixinStandardHelpOptions = true,
        versionProvider = CortexCli.Version.class,
        description = "Cortex: a Bittensor-style incentive network on the JVM.")
public final class CortexCli {
    /** The verbs, in the order {@code --help} lists them. */
    public static final List<Class<?>> VERBS = List.of(TestnetCommand.class, StatusCommand.class, WalletCommand.class,
            SubnetCommand.class, NeuronCommands.Register.class, NeuronCommands.Stake.class, NeuronCommands.Weights.class,
            NeuronCommands.MetagraphCommand.class, OutsideNeuronCommands.Miner.class, OutsideNeuronCommands.Validator.class,
            ExplainCommand.class, QueryCommand.class, LoadtestCommand.class, SimulateCommand.class, ReplayCommand.class,
            EpochCommand.class, LedgerCommand.class, NodeCommand.class, NetworkCommand.class, ClassArchiveTraining.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "on a failure, print its whole cause (the stack trace) instead of one line")
    boolean debug;

    public static void main(String[] args) {
        // SLF4J's notice that it replayed a log call made while Logback started is noise on a command line
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(commandLine(verbsFor(args)).execute(args));
    }

    /** The configured command line with every verb, so tests run exactly what users run. */
    public static CommandLine commandLine() {
        return commandLine(VERBS);
    }

    /**
     * The verb {@code args} names, alone, when it names one; none for {@code --version}; else every verb (for
     * {@code --help}, {@code help} and the message about an unknown one). Building only the verb run saves picocli reflecting over all
     * the others, a third of a short command's start-up (BENCHMARKS.md, "Command start-up").
     */
    public static List<Class<?>> verbsFor(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return List.of();
        }
        for (String arg : args) {
            if (arg.startsWith("-")) {
                continue; // --debug may come before the verb; the top command has no option that takes a value
            }
            for (Class<?> verb : VERBS) {
                Command command = verb.getAnnotation(Command.class);
                if (command.name().equals(arg) || List.of(command.aliases()).contains(arg)) {
                    if (verb == ClassArchiveTraining.class) {
                        return List.of(verb, StatusCommand.class); // it trains by running status, through this command line
                    }
                    return verb == CommandLine.HelpCommand.class ? VERBS : List.of(verb);
                }
            }
            break;
        }
        return VERBS;
    }

    /** The command line with only {@code verbs}. */
    public static CommandLine commandLine(List<Class<?>> verbs) {
        CommandLine cli = new CommandLine(new CortexCli());
        verbs.forEach(cli::addSubcommand);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (debugging(parseResult)) {
                commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + " failed:");
                trace(commandLine.getErr(), e);
            } else {
                commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + oneLine(e));
            }
            commandLine.getErr().flush();
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        withHelp(cli);
        return cli;
    }

    /** {@code --help} (and {@code --version}) on every command and subcommand, not only the top one. */
    private static void withHelp(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (!sub.getCommandSpec().mixinStandardHelpOptions() && sub.getCommandSpec().findOption("--help") == null) {
                sub.getCommandSpec().mixinStandardHelpOptions(true);
            }
            withHelp(sub);
        }
    }

    /** The failure and its causes, each with its stack frames. */
    private static void trace(java.io.PrintWriter err, Throwable e) {
        String prefix = "";
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            err.println(prefix + t);
            for (StackTraceElement frame : t.getStackTrace()) {
                err.println("\tat " + frame);
            }
            prefix = "caused by: ";
        }
    }

    /** Whether --debug was given to the command or any command above it. */
    private static boolean debugging(CommandLine.ParseResult result) {
        for (CommandLine.ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ');
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CortexCli.class.getPackage().getImplementationVersion();
            return new String[] {"cortex " + (v == null ? "development build" : v)};
        }
    }
}
