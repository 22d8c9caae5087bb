/**
 * Implementation details of irisx-webhooks that depend on none of its public packages; not API, and not to be used by
 * other modules: the SSRF guard's address rules and OkHttp wiring, the dispatcher's response helpers, the meters.
 */
package io.irisx.webhooks.internal;
