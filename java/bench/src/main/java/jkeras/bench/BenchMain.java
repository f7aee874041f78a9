package jkeras.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jkeras bench} ({@code scripts/bench.sh}): benchmarks, each a program that prints a table
 * (never a test). Its own module, so that the command users run carries no chart library.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of jkeras against tf-keras and against bare TensorFlow Java.",
    subcommands = {
      AllBench.class,
      TrainOnBatchBench.class,
      FitGeneratorBench.class,
      AugmentBench.class,
      RunScriptBench.class,
      MemoryChild.class,
      ScriptTwin.class,
      StepProbe.class,
      MultiWorkerBench.class,
      MultiWorkerBench.Child.class
    })
public final class BenchMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** A picocli command line for {@code bench}, for tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new BenchMain());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
