package jkeras.trainers;

/**
 * What every worker of a multi-worker {@code fit} receives from the chief when it starts: a seed
 * the workers share (to shuffle the data alike) and the epoch to start from (a restored backup's).
 */
public record ReplicaSync(long seed, int initialEpoch) {}
