/** Benchmarks of the tenancy features — API keys, rate limits, usage metering — each beside its limit or peer. */
package io.irisx.benchmarks.tenancy;
