/** Email through Postmark's REST API: {@link io.irisx.messaging.email.postmark.PostmarkProvider}. */
package io.irisx.messaging.email.postmark;
