/** What the SMS channel is built from, not API: the rows of its tables. */
package io.irisx.messaging.sms.internal;
