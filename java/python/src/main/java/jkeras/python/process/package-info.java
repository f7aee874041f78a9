/**
 * Python data sources in worker processes ({@code use_multiprocessing=True}): {@link
 * jkeras.python.process.ProcessEnqueuer} is the enqueuer. Behind it, {@code WorkerPool} runs the
 * {@code python -m jkeras.worker} processes and owns their shared memory, {@code SequenceDispatch}
 * hands a Sequence's indices out and {@code GeneratorFlow} meters a generator's items with credits.
 * The wire format is written down in {@code python/src/jkeras/worker.py}.
 */
package jkeras.python.process;
