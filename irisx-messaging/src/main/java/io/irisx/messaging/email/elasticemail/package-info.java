/** Email through Elastic Email's REST API v4: {@link io.irisx.messaging.email.elasticemail.ElasticEmailProvider}. */
package io.irisx.messaging.email.elasticemail;
