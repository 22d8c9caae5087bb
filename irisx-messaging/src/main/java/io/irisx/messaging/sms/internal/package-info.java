/**
 * What the SMS channel is built from, not API: the store and the rows of its tables, the sender that works the SMS
 * channel.
 */
package io.irisx.messaging.sms.internal;
