/**
 * The starter's workings, not API: building the runtime, its modules and providers from the properties, the
 * modules' conditions, the shutdown lifecycle and the failure analyzer.
 */
package io.irisx.spring.boot.internal;
