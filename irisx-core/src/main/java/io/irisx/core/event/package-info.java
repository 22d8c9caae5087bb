/** The catalogue of events, the {@link io.irisx.core.event.Event} record, and the {@link io.irisx.core.event.EventSink} SPI. */
package io.irisx.core.event;
