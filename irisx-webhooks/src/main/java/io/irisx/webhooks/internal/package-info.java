/** Implementation details of irisx-webhooks; not API, and not to be used by other modules. */
package io.irisx.webhooks.internal;
