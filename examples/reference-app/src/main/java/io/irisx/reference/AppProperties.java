package io.irisx.reference;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The app's own settings ({@code app.*}); IRISX's are the starter's {@code irisx.*}.
 *
 * @param adminToken the token of the admin routes ({@code /admin/**}: tenants, their API keys and credit), sent as
 *     {@code Authorization: Bearer <token>}; without one the admin routes answer 401 to everyone
 * @param publicUrl the app's URL as the providers reach it (e.g. {@code https://api.acme.example}): Twilio signs its
 *     callbacks over the URL it was given, so the callback handlers are built with this URL and the callback's path;
 *     SMS status callbacks are given only when it is https (Twilio takes no other), so an app on plain http gets no
 *     SMS delivery reports
 * @param postmarkWebhookUser the basic-authentication user of the Postmark webhook URL, if set
 * @param postmarkWebhookPassword its password
 * @param sendgridWebhookVerificationKey the verification key of the SendGrid Signed Event Webhook at
 *     {@code /callbacks/{tenant}/sendgrid}: the base64 public key SendGrid shows once signing is on
 * @param mailgunWebhookSigningKey the HTTP webhook signing key of the Mailgun account, for
 *     {@code /callbacks/{tenant}/mailgun}
 * @param resendWebhookSecret the signing secret ({@code whsec_…}) of the Resend webhook at
 *     {@code /callbacks/{tenant}/resend}
 * @param sesTopicArns the ARNs of the SNS topics SES publishes events to, whose messages
 *     {@code /callbacks/{tenant}/ses} takes (comma-separated)
 * @param sesConfirmSubscriptions whether {@code /callbacks/{tenant}/ses} confirms an SNS subscription itself (else
 *     confirm it in AWS)
 * @param elasticEmailWebhookSecret the secret (16 to 255 characters) of the Elastic Email notification URL
 *     {@code /callbacks/{tenant}/elasticemail?token=<secret>}
 * @param stripeSecretKey Stripe's secret API key ({@code sk_…}), for card top-ups; without it top-ups answer 503
 * @param stripeWebhookSecret the signing secret ({@code whsec_…}) of the Stripe webhook at {@code /callbacks/stripe}
 * @param stripeApiBase where Stripe's API is, when not {@code https://api.stripe.com}
 * @param portalSigningKey the key (base64 of 32 bytes) that signs the customer portal's tokens; else a random key of
 *     the process
 */
@ConfigurationProperties(prefix = "app")
record AppProperties(String adminToken, String publicUrl, String postmarkWebhookUser, String postmarkWebhookPassword,
        String sendgridWebhookVerificationKey, String mailgunWebhookSigningKey, String resendWebhookSecret,
        List<String> sesTopicArns, boolean sesConfirmSubscriptions, String elasticEmailWebhookSecret,
        String stripeSecretKey, String stripeWebhookSecret, String stripeApiBase, String portalSigningKey) {

    /** The query parameter of Elastic Email's notification URL that carries the secret. */
    static final String ELASTIC_EMAIL_SECRET_PARAMETER = "token";

    AppProperties {
        adminToken = adminToken == null ? "" : adminToken;
        publicUrl = publicUrl == null || publicUrl.isBlank() ? "http://127.0.0.1:8080" : stripSlash(publicUrl);
        postmarkWebhookUser = postmarkWebhookUser == null ? "" : postmarkWebhookUser;
        postmarkWebhookPassword = postmarkWebhookPassword == null ? "" : postmarkWebhookPassword;
        sendgridWebhookVerificationKey = sendgridWebhookVerificationKey == null ? "" : sendgridWebhookVerificationKey;
        mailgunWebhookSigningKey = mailgunWebhookSigningKey == null ? "" : mailgunWebhookSigningKey;
        resendWebhookSecret = resendWebhookSecret == null ? "" : resendWebhookSecret;
        sesTopicArns = sesTopicArns == null ? List.of()
                : sesTopicArns.stream().map(String::strip).filter(arn -> !arn.isEmpty()).toList();
        elasticEmailWebhookSecret = elasticEmailWebhookSecret == null ? "" : elasticEmailWebhookSecret;
        stripeSecretKey = stripeSecretKey == null ? "" : stripeSecretKey;
        stripeWebhookSecret = stripeWebhookSecret == null ? "" : stripeWebhookSecret;
        stripeApiBase = stripeApiBase == null ? "" : stripeApiBase;
        portalSigningKey = portalSigningKey == null ? "" : portalSigningKey;
    }

    /**
     * Whether {@link #publicUrl} is https, as Twilio requires of an SMS status callback: an app on plain http sends
     * SMS without one.
     */
    boolean publicUrlIsHttps() {
        return publicUrl.regionMatches(true, 0, "https://", 0, "https://".length());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "AppProperties[publicUrl=" + publicUrl + ", adminToken=" + (adminToken.isEmpty() ? "unset" : "set")
                + ", stripe=" + (stripeSecretKey.isEmpty() ? "unset" : "set") + "]";
    }
}
