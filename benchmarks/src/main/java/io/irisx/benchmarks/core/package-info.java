/** The {@code core} suite: ids and secret sealing of irisx-core, beside the JDK's own ids and raw AES-GCM. */
package io.irisx.benchmarks.core;
