/**
 * Keras 2.3.1 callbacks: {@link jkeras.callbacks.Callback}, the base class of no-op hooks, and
 * {@link jkeras.callbacks.CallbackList}, the composite the training loop calls. The loop builds the
 * list with {@link jkeras.callbacks.CallbackList#configure()} in the Keras 2 order BaseLogger,
 * ProgbarLogger (if verbose), the user's callbacks, History.
 */
package jkeras.callbacks;
