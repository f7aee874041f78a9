package jkeras.python.process;

import java.nio.file.Path;
import java.util.Map;
import jkeras.python.PythonEnvironment;
import jkeras.python.PythonSource;

/**
 * A JVM for {@code ProcessEnqueuerTest#workersDieWithTheirJvmWhenItIsKilled}: starts two generator
 * workers and two Sequence workers (busy in a slow {@code __getitem__}), prints their pids and
 * {@code READY}, then waits to be killed.
 */
public final class KillTargetMain {
  private KillTargetMain() {}

  public static void main(String[] args) throws Exception {
    Path module = Path.of(args[0]);
    PythonEnvironment env = PythonEnvironment.discover();
    ProcessEnqueuer g =
        new ProcessEnqueuer(env, PythonSource.fromFile(module, "gen"), false, false, 1);
    g.start(2, 4);
    g.next();
    ProcessEnqueuer s =
        new ProcessEnqueuer(
            env,
            PythonSource.fromFile(module, "Numbered", 100).withKwargs(Map.of("delay", 30.0)),
            true,
            false,
            1);
    s.start(2, 4);
    s.beginEpoch(100); // both workers now sleep inside __getitem__, deaf to stdin EOF
    for (long pid : g.workerPids()) System.out.println("PID " + pid);
    for (long pid : s.workerPids()) System.out.println("PID " + pid);
    Thread.sleep(300);
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(600_000);
  }
}
