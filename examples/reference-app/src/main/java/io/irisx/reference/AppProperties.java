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
 */
@ConfigurationProperties(prefix = "app")
record AppProperties(String adminToken, String publicUrl, String postmarkWebhookUser, String postmarkWebhookPassword) {

    AppProperties {
        adminToken = adminToken == null ? "" : adminToken;
        publicUrl = publicUrl == null || publicUrl.isBlank() ? "http://127.0.0.1:8080" : stripSlash(publicUrl);
        postmarkWebhookUser = postmarkWebhookUser == null ? "" : postmarkWebhookUser;
        postmarkWebhookPassword = postmarkWebhookPassword == null ? "" : postmarkWebhookPassword;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "AppProperties[publicUrl=" + publicUrl + ", adminToken=" + (adminToken.isEmpty() ? "unset" : "set")
                + "]";
    }
}
