package jkeras.distribute;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jkeras.saving.Json;

/**
 * The cluster of a multi-worker job and this process' task in it, as the {@code TF_CONFIG}
 * convention writes it (Kubernetes' training operators, Ray, a launcher script): {@code {"cluster":
 * {"chief": ["h0:p0"], "worker": ["h1:p1", ...]}, "task": {"type": "worker", "index": 0}}}. Keras'
 * {@code TFConfigClusterResolver}. Jobs {@code chief} and {@code worker} take part in training; the
 * chief is the {@code chief} task, or worker 0 when there is none (Keras' rule).
 *
 * @param jobs each job's task addresses ({@code host:port}), {@code chief} first when present
 * @param taskType this process' job
 * @param taskIndex this process' index in its job
 */
public record ClusterSpec(Map<String, List<String>> jobs, String taskType, int taskIndex) {
  /** The environment variable launchers set for each process. */
  public static final String TF_CONFIG = "TF_CONFIG";

  public ClusterSpec {
    if (jobs == null || jobs.isEmpty())
      throw new IllegalArgumentException(
          "TF_CONFIG's `cluster` must name at least one task; received " + jobs + ".");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (jobs.containsKey("chief")) copy.put("chief", List.copyOf(jobs.get("chief")));
    for (Map.Entry<String, List<String>> e : jobs.entrySet()) {
      String job = e.getKey();
      if (!job.equals("chief") && !job.equals("worker")) {
        throw new IllegalArgumentException(
            "MultiWorkerMirroredStrategy runs `chief` and `worker` tasks only; TF_CONFIG's"
                + " `cluster` has a `"
                + job
                + "` job (parameter servers and evaluators are not supported).");
      }
      copy.putIfAbsent(job, List.copyOf(e.getValue()));
    }
    if (copy.containsKey("chief") && copy.get("chief").size() != 1)
      throw new IllegalArgumentException(
          "TF_CONFIG's `chief` job must have exactly one task; received "
              + copy.get("chief")
              + ".");
    for (List<String> tasks : copy.values()) {
      for (String a : tasks) address(a);
    }
    jobs = java.util.Collections.unmodifiableMap(copy);
    List<String> own = jobs.get(taskType);
    if (own == null)
      throw new IllegalArgumentException(
          "TF_CONFIG's `task.type` must be one of the cluster's jobs "
              + jobs.keySet()
              + "; received `"
              + taskType
              + "`.");
    if (taskIndex < 0 || taskIndex >= own.size())
      throw new IllegalArgumentException(
          "TF_CONFIG's `task.index` must be in [0, "
              + own.size()
              + ") for job `"
              + taskType
              + "`; received "
              + taskIndex
              + ".");
  }

  /** A spec of one {@code worker} job. */
  public static ClusterSpec ofWorkers(List<String> workers, int index) {
    return new ClusterSpec(Map.of("worker", workers), "worker", index);
  }

  /**
   * Reads the {@code TF_CONFIG} environment variable.
   *
   * @throws IllegalStateException when it is unset
   */
  public static ClusterSpec fromEnvironment() {
    String text = System.getenv(TF_CONFIG);
    if (text == null || text.isBlank())
      throw new IllegalStateException(
          "MultiWorkerMirroredStrategy needs the TF_CONFIG environment variable (the cluster and"
              + " this process' task), or an explicit ClusterSpec; TF_CONFIG is not set.");
    return parse(text);
  }

  /** Parses {@code TF_CONFIG} JSON text. */
  @SuppressWarnings("unchecked")
  public static ClusterSpec parse(String tfConfig) {
    Map<String, Object> root;
    try {
      root = Json.parseObject(tfConfig);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TF_CONFIG is not valid JSON: " + e.getMessage(), e);
    }
    if (!(root.get("cluster") instanceof Map<?, ?> cluster))
      throw new IllegalArgumentException(
          "TF_CONFIG must have a `cluster` object; received " + tfConfig);
    if (!(root.get("task") instanceof Map<?, ?> task))
      throw new IllegalArgumentException(
          "TF_CONFIG must have a `task` object ({\"type\": ..., \"index\": ...}); received "
              + tfConfig);
    Map<String, List<String>> jobs = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : cluster.entrySet()) {
      if (!(e.getValue() instanceof List<?> tasks))
        throw new IllegalArgumentException(
            "TF_CONFIG's cluster job `" + e.getKey() + "` must be a list of \"host:port\" strings");
      List<String> out = new ArrayList<>();
      for (Object t : tasks) out.add(String.valueOf(t));
      jobs.put(String.valueOf(e.getKey()), out);
    }
    Object type = task.get("type");
    Object index = task.get("index");
    if (!(type instanceof String) || !(index instanceof Number))
      throw new IllegalArgumentException(
          "TF_CONFIG's `task` must have a string `type` and an integer `index`; received " + task);
    return new ClusterSpec(jobs, (String) type, ((Number) index).intValue());
  }

  /** This spec as {@code TF_CONFIG} JSON text (for launching a process of the same cluster). */
  public String toTfConfig(String type, int index) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("cluster", new LinkedHashMap<>(jobs));
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("type", type);
    task.put("index", index);
    root.put("task", task);
    return Json.write(root);
  }

  /** Every training task as {@code [job, index]}, in rank order: the chief first. */
  public List<Map.Entry<String, Integer>> tasks() {
    List<Map.Entry<String, Integer>> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : jobs.entrySet()) {
      for (int i = 0; i < e.getValue().size(); i++) out.add(Map.entry(e.getKey(), i));
    }
    return out;
  }

  /** The number of training tasks: Keras' {@code num_replicas_in_sync} (one CPU replica each). */
  public int numWorkers() {
    int n = 0;
    for (List<String> t : jobs.values()) n += t.size();
    return n;
  }

  /** This task's rank among {@link #tasks()}: which shard of the data it trains on. */
  public int rank() {
    int r = 0;
    for (Map.Entry<String, List<String>> e : jobs.entrySet()) {
      if (e.getKey().equals(taskType)) return r + taskIndex;
      r += e.getValue().size();
    }
    throw new IllegalStateException("unreachable");
  }

  /** Whether this task is the chief: it writes checkpoints, TensorBoard files, the progress bar. */
  public boolean isChief() {
    return rank() == 0;
  }

  /** The chief's job and index. */
  public Map.Entry<String, Integer> chief() {
    return tasks().get(0);
  }

  /** A task's {@code host:port}. */
  public String addressOf(String job, int index) {
    return jobs.get(job).get(index);
  }

  /** TensorFlow's device name of a task's CPU. */
  public static String device(String job, int index) {
    return "/job:" + job + "/replica:0/task:" + index;
  }

  /** Splits {@code host:port}; the host may be a bracketed IPv6 address. */
  static String[] address(String a) {
    int colon = a.lastIndexOf(':');
    String port = colon < 0 ? "" : a.substring(colon + 1);
    boolean ok = colon > 0 && !port.isEmpty() && port.chars().allMatch(Character::isDigit);
    if (ok) {
      int p = Integer.parseInt(port);
      ok = p > 0 && p < 65536;
    }
    if (!ok)
      throw new IllegalArgumentException(
          "A TF_CONFIG task address must be \"host:port\" with a port in 1..65535; received \""
              + a
              + "\".");
    return new String[] {a.substring(0, colon), port};
  }
}
