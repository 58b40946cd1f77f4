/**
 * The {@code herald} command line ({@code bin/herald --help}): the demo and one subcommand per
 * module.
 */
package dev.herald.tools;
