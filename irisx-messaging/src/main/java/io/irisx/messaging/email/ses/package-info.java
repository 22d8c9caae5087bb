/**
 * AWS SES v2 as an email provider ({@link io.irisx.messaging.email.ses.SesProvider}), and the handler of the SES
 * events Amazon SNS posts back ({@link io.irisx.messaging.email.ses.SesEvents}).
 */
package io.irisx.messaging.email.ses;
