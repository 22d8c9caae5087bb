/**
 * The README's code, compiled: one class per README section, each block of Java in the README held verbatim as a
 * region between {@code // README:begin <name>} and {@code // README:end}, inside a method whose parameters are the
 * block's free variables (the host's data source, providers, receiver, …). {@code ReadmeTest} checks that every block
 * has its region and every region its block; {@code ReadmeExamplesTest} runs each method against local servers and
 * checks what the README says of it.
 */
package io.irisx.examples.readme;
