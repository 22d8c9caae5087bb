/** AWS SES v2 as an email provider: {@link io.irisx.messaging.email.ses.SesProvider}. */
package io.irisx.messaging.email.ses;
