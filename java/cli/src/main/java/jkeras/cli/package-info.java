/**
 * The {@code jkeras} command ({@link jkeras.cli.Main}, picocli): {@code demo}, the project's main
 * job (the seed article's Python generator feeding {@code fitGenerator}), and {@code train} (an MLP
 * on generated digits).
 */
package jkeras.cli;
