package jkeras.compat;

/**
 * How one observable of jkeras compares with one reference (tf-keras or Keras 2.3.1), and whether
 * that is what the harness expects.
 *
 * @param status the comparison and the expectation together
 * @param text what the report shows in the reference's column (short)
 * @param detail the full story: values, the first difference, the rule applied; empty if none
 */
public record Verdict(Status status, String text, String detail) {

  /** The outcome of a comparison under its expectation. */
  public enum Status {
    /** Judged: jkeras and the reference agree. */
    AGREES(true, true),
    /** Judged: they differ, and should not. */
    DIFFERS(false, true),
    /** Judged: a deviation README documents, observed exactly as documented on both sides. */
    DEVIATION_DOCUMENTED(true, true),
    /** Judged: a documented deviation, but not as documented. */
    DEVIATION_NOT_AS_DOCUMENTED(false, true),
    /**
     * Judged: the scenario declares that this reference differs (its reason in the detail), and it
     * does.
     */
    DIFFERS_AS_DECLARED(true, true),
    /**
     * Judged: a disagreement with Keras 2.3.1 that jkeras claims to follow, found by this harness
     * and declared in the scenario until the core is fixed (then it fails as AGREES_UNEXPECTEDLY,
     * and the declaration goes).
     */
    KNOWN_DISAGREEMENT(true, true),
    /** Judged: declared to differ, but agrees: the declaration is stale. */
    AGREES_UNEXPECTEDLY(false, true),
    /** Not judged (the reason in the detail): shown for information. */
    NOT_JUDGED(true, false),
    /** The reference did not run the scenario (the reason in the detail). */
    NOT_RUN(true, false),
    /** The reference failed to run a scenario it should run. */
    ERROR(false, true),
    /** This observable does not exist for this reference. */
    NOT_APPLICABLE(true, false);

    private final boolean ok;
    private final boolean judged;

    Status(boolean ok, boolean judged) {
      this.ok = ok;
      this.judged = judged;
    }

    /** Whether this verdict lets the check pass. */
    public boolean ok() {
      return ok;
    }

    /** Whether the reference judged jkeras here (otherwise it is shown for information only). */
    public boolean judged() {
      return judged;
    }
  }

  public boolean ok() {
    return status.ok();
  }

  public boolean judged() {
    return status.judged();
  }

  static Verdict notApplicable() {
    return new Verdict(Status.NOT_APPLICABLE, "-", "");
  }
}
