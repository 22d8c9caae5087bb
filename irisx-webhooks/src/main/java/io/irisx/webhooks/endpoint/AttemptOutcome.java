package io.irisx.webhooks.endpoint;

/** How one delivery attempt ended. */
public enum AttemptOutcome {
    /** The endpoint answered with a 2xx status. */
    SUCCESS,
    /** The endpoint answered with another status. */
    HTTP_ERROR,
    /** The endpoint did not answer in time. */
    TIMEOUT,
    /** The connection could not be made or broke (DNS, refused, reset, TLS). */
    NETWORK_ERROR,
    /** The SSRF guard refused the address the endpoint's host resolved to. */
    BLOCKED
}
