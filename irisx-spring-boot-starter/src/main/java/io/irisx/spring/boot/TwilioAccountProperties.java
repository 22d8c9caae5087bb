package io.irisx.spring.boot;

/**
 * A Twilio account's settings, as both {@code irisx.sms.twilio.*} and {@code irisx.voice.twilio.*} give them. Bound
 * once at startup and then only read; not thread-safe while being bound.
 */
public class TwilioAccountProperties {

    /** The account SID, AC and 32 hex digits; configures the provider. */
    private String accountSid;

    /** The account's auth token, 32 hex digits; required with account-sid. */
    private String authToken;

    /** An API key SID (SK and 32 hex digits) to authenticate with instead of the auth token, as Twilio advises. */
    private String apiKeySid;

    /** The secret of the API key; required with api-key-sid. */
    private String apiKeySecret;

    /** Where to connect instead of https://api.twilio.com (scheme, host and port only). */
    private String baseUrl;

    public String getAccountSid() {
        return accountSid;
    }

    public void setAccountSid(String accountSid) {
        this.accountSid = accountSid;
    }

    public String getAuthToken() {
        return authToken;
    }

    public void setAuthToken(String authToken) {
        this.authToken = authToken;
    }

    public String getApiKeySid() {
        return apiKeySid;
    }

    public void setApiKeySid(String apiKeySid) {
        this.apiKeySid = apiKeySid;
    }

    public String getApiKeySecret() {
        return apiKeySecret;
    }

    public void setApiKeySecret(String apiKeySecret) {
        this.apiKeySecret = apiKeySecret;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }
}
