/**
 * Not API: the message factories ({@link jkeras.internal.Errors}), warnings, config-map reads,
 * shape and Python-repr formatting that every package shares. Depends on no other jkeras package;
 * exported only to the Python bridge.
 */
package jkeras.internal;
