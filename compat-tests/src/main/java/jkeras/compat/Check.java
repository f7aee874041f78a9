package jkeras.compat;

/**
 * One compared observable of one scenario: jkeras' value beside both references' verdicts.
 *
 * @param scenario scenario name
 * @param observable what was compared, e.g. {@code "train_on_batch#0 losses"}
 * @param jkeras a short rendering of jkeras' value
 * @param tfKeras the verdict against tf-keras 2.18
 * @param keras231 the verdict against Keras 2.3.1
 */
public record Check(
    String scenario, String observable, String jkeras, Verdict tfKeras, Verdict keras231) {

  /** Whether neither reference's verdict fails. */
  public boolean agrees() {
    return tfKeras.ok() && keras231.ok();
  }

  /** The references that judge this check: "2.3.1", "tf-keras", both, or none. */
  public String judgedAgainst() {
    if (keras231.judged() && tfKeras.judged()) return "2.3.1 + tf-keras";
    if (keras231.judged()) return "2.3.1";
    if (tfKeras.judged()) return "tf-keras";
    return "-";
  }
}
