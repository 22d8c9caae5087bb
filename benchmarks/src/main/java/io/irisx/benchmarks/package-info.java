/**
 * JMH benchmarks of IRISX, one package per suite, each measuring IRISX beside its peer or its physical limit in the
 * same run, and {@link io.irisx.benchmarks.Report}, which turns JMH's JSON results into one line per comparison.
 */
package io.irisx.benchmarks;
