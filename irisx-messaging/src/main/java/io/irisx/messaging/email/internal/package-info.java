/** What the email channel is built from, not API: the store, the template renderer, the REST providers' HTTP calls. */
package io.irisx.messaging.email.internal;
