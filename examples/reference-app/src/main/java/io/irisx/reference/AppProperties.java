package io.irisx.reference;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The app's own settings ({@code app.*}); IRISX's are the starter's {@code irisx.*}.
 *
 * @param adminToken the token of the admin routes ({@code /admin/**}: tenants, their API keys and credit), sent as
 *     {@code Authorization: Bearer <token>}; without one the admin routes answer 401 to everyone
 * @param publicUrl the app's URL as the providers reach it (e.g. {@code https://api.acme.example}): Twilio signs its
 *     callbacks over the URL it was given, so the callback handlers are built with this URL and the callback's path
 * @param postmarkWebhookUser the basic-authentication user of the Postmark webhook URL, if set
 * @param postmarkWebhookPassword its password
 * @param stripeSecretKey Stripe's secret API key ({@code sk_…}), for card top-ups; without it top-ups answer 503
 * @param stripeWebhookSecret the signing secret ({@code whsec_…}) of the Stripe webhook at {@code /callbacks/stripe}
 * @param stripeApiBase where Stripe's API is, when not {@code https://api.stripe.com}
 * @param portalSigningKey the key (base64 of 32 bytes) that signs the customer portal's tokens; else a random key of
 *     the process
 */
@ConfigurationProperties(prefix = "app")
record AppProperties(String adminToken, String publicUrl, String postmarkWebhookUser, String postmarkWebhookPassword,
        String stripeSecretKey, String stripeWebhookSecret, String stripeApiBase, String portalSigningKey) {

    AppProperties {
        adminToken = adminToken == null ? "" : adminToken;
        publicUrl = publicUrl == null || publicUrl.isBlank() ? "http://127.0.0.1:8080" : stripSlash(publicUrl);
        postmarkWebhookUser = postmarkWebhookUser == null ? "" : postmarkWebhookUser;
        postmarkWebhookPassword = postmarkWebhookPassword == null ? "" : postmarkWebhookPassword;
        stripeSecretKey = stripeSecretKey == null ? "" : stripeSecretKey;
        stripeWebhookSecret = stripeWebhookSecret == null ? "" : stripeWebhookSecret;
        stripeApiBase = stripeApiBase == null ? "" : stripeApiBase;
        portalSigningKey = portalSigningKey == null ? "" : portalSigningKey;
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
