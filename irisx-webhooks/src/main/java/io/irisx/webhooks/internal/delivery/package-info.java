/** What delivers webhooks, not API: the delivery engine, its retry schedule and each endpoint's throttle. */
package io.irisx.webhooks.internal.delivery;
