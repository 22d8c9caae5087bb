/**
 * The webhooks kit: {@link io.irisx.testkit.webhooks.DeliveryEngineContractKit}, webhook delivery end to end on an
 * outbox under test.
 */
package io.irisx.testkit.webhooks;
