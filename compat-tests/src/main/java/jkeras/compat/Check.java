package jkeras.compat;

/**
 * One compared observable of one scenario.
 *
 * @param scenario scenario name
 * @param observable what was compared, e.g. {@code "train_on_batch#0 values"}
 * @param agrees whether jkeras matched Keras within {@code tolerance}
 * @param maxDifference the largest difference found (relative or absolute, see {@code measure});
 *     {@code NaN} for exact comparisons
 * @param tolerance the allowed difference; {@code 0} for exact comparisons
 * @param measure {@code "relative"}, {@code "absolute"} or {@code "exact"}
 * @param detail what differed (first mismatch, both values), empty when it agrees
 */
public record Check(
    String scenario,
    String observable,
    boolean agrees,
    double maxDifference,
    double tolerance,
    String measure,
    String detail) {}
