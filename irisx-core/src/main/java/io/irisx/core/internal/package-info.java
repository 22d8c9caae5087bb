/** Implementation details of irisx-core; not API, and not to be used by other modules. */
package io.irisx.core.internal;
