package jkeras.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jkeras} command. */
@Command(
    name = "jkeras",
    mixinStandardHelpOptions = true,
    version = "jkeras 0.1.0-SNAPSHOT (Keras 2.3.1 API on TensorFlow Java 1.1.0)",
    description = "The Keras 2.3.1 training API on the JVM.",
    subcommands = {
      DemoCommand.class,
      TrainCommand.class,
      Cifar10CnnCommand.class,
      SummaryCommand.class,
      RunCommand.class,
      MultiWorkerCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** A picocli command line for {@code jkeras}, for tests and embedding. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // `run`: everything after the script is the script's own arguments, options included.
    cl.getSubcommands().get("run").setStopAtPositional(true);
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
