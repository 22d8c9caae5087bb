/** The commands of the IRISX command line, each a class that {@link io.irisx.examples.Main} dispatches to. */
package io.irisx.examples.cli;
