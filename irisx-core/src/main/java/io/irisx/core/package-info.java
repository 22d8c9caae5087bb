/**
 * The IRISX runtime ({@link io.irisx.core.Irisx}), tenants, channels and the errors every module reports.
 */
package io.irisx.core;
