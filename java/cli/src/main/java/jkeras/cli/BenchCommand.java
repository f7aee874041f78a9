package jkeras.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code jkeras bench}: benchmarks, each a program that prints a table (never a test). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of jkeras against tf-keras and against bare TensorFlow Java.",
    subcommands = {AllBench.class, TrainOnBatchBench.class, FitGeneratorBench.class, MemoryChild.class})
final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
