/**
 * HTTP requests that providers and recipients send to the host (status callbacks, event webhooks, unsubscribe and
 * tracking links) and the answers to them, free of any web framework: the host's controller builds a
 * {@link io.irisx.core.callback.CallbackRequest} from what it received, hands it to an IRISX handler, and writes the
 * {@link io.irisx.core.callback.CallbackResponse} back.
 */
package io.irisx.core.callback;
