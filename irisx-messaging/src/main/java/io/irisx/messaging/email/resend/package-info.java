/** Email through Resend's REST API: {@link io.irisx.messaging.email.resend.ResendProvider}. */
package io.irisx.messaging.email.resend;
