package io.irisx.messaging.sms.twilio;

import io.irisx.core.secret.Redaction;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.internal.ProviderSdk;
import io.irisx.messaging.sms.spi.OutgoingSms;
import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.messaging.sms.spi.SmsReceipt;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The Twilio SMS/MMS provider, sending each message with one {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}
 * call to Twilio's REST API through the official Twilio SDK; thread-safe, built once with
 * {@link #builder(String, String)} and shared.
 *
 * <p>The form carries {@code To}, {@code From} or {@code MessagingServiceSid}, {@code Body}, one {@code MediaUrl} per
 * media (at most 10), {@code StatusCallback} and {@code ValidityPeriod} (seconds, 1-36000). It authenticates with
 * HTTP Basic, as the account SID and its auth token or, better in production because a key can be revoked alone, as
 * an API key ({@link Builder#apiKey(String, String)}). The receipt holds the message SID ({@code SM…}) and the status
 * Twilio reported ({@code queued}, or {@code accepted} through a messaging service).
 *
 * <p>Twilio's Messages API takes no idempotency key: a message sent again after a timeout may be delivered twice.
 * (The {@code I-Twilio-Idempotency-Token} header is one Twilio puts on the webhooks it sends, not one it reads.) The
 * provider therefore makes each request exactly once: neither the SDK's retries of 5xx answers nor HTTP-level
 * retries are used, and the outbox decides.
 *
 * <p>Errors: Twilio answers {@code {"code", "message", "more_info", "status"}}. HTTP 400, 401, 403 and 404 are
 * permanent, and so are, under any status, the codes that no retry cures: 20003 (authentication), 20404 (not found),
 * 21211 (invalid To), 21212 (invalid From), 21606, 21659 and 21660 (From is not an SMS-capable number or sender of
 * this account), 21608 (trial account, unverified To), 21610 (the recipient replied STOP), 21612 (no route between
 * From and To), 21614 (To is not a mobile number). HTTP 408, 429 (code 20429) and 5xx (20500, 20503), timeouts and
 * failed connections are retryable. The exception names Twilio's code, message and {@code more_info} link, the HTTP
 * status, and the {@code Twilio-Request-Id} header. Delivery failures (the 30xxx codes, e.g. 30007 filtered by the
 * carrier) come later, in status callbacks, not from this call.
 */
public final class TwilioProvider implements SmsProvider {

    static final String NAME = "twilio";
    static final String DEFAULT_BASE_URL = "https://api.twilio.com";
    /** What this provider loads from the Twilio SDK and the jars it brings: Apache HttpClient 5. */
    private static final List<String> SDK_CLASSES = List.of("com.twilio.http.TwilioRestClient",
            "com.twilio.http.NetworkHttpClient", "com.twilio.rest.api.v2010.account.Message",
            "org.apache.hc.core5.http.HttpHost", "org.apache.hc.client5.http.impl.classic.HttpClientBuilder");
    /** Twilio's limit of media per message. */
    static final int MAX_MEDIA = 10;

    private final String accountSid;
    private final String apiKeySid;
    private final HttpUrl baseUrl;
    private final Duration timeout;
    private final TwilioMessages messages;

    private TwilioProvider(Builder builder) {
        this.accountSid = builder.accountSid;
        this.apiKeySid = builder.apiKeySid;
        this.baseUrl = builder.baseUrl;
        this.timeout = builder.timeout;
        this.messages = new TwilioMessages(accountSid, builder.authToken, apiKeySid, builder.apiKeySecret, baseUrl,
                timeout);
    }

    /**
     * A builder for a provider that authenticates as {@code accountSid} with its {@code authToken}, both from the
     * Twilio Console.
     *
     * @throws IllegalArgumentException when the SID is not {@code AC} and 32 hex digits, or the token not 32 hex
     *     digits (the token is never shown)
     */
    public static Builder builder(String accountSid, String authToken) {
        ProviderSdk.require(NAME, "twilio", SDK_CLASSES);
        return new Builder(accountSid, authToken);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SmsReceipt send(OutgoingSms sms) {
        Objects.requireNonNull(sms, "sms");
        return messages.send(sms);
    }

    /** Closes the provider's connections. */
    @Override
    public void close() {
        messages.close();
    }

    @Override
    public String toString() {
        return "TwilioProvider[accountSid=" + accountSid + ", auth=" + (apiKeySid == null ? "auth token" : "api key "
                + apiKeySid) + ", baseUrl=" + baseUrl + ", timeout=" + timeout + "]";
    }

    /** Builds a {@link TwilioProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {

        private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
        private static final Pattern API_KEY_SID = Pattern.compile("SK[0-9a-fA-F]{32}");
        private static final Pattern AUTH_TOKEN = Pattern.compile("[0-9a-fA-F]{32}");

        private final String accountSid;
        private final String authToken;
        private String apiKeySid;
        private String apiKeySecret;
        private HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL + "/");
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String accountSid, String authToken) {
            this.accountSid = sid("accountSid", "AC", ACCOUNT_SID, accountSid);
            Objects.requireNonNull(authToken, "authToken");
            if (!AUTH_TOKEN.matcher(authToken).matches()) {
                throw new IllegalArgumentException("authToken must be a Twilio auth token (32 hex digits), was a value "
                        + "of " + authToken.length() + " characters (not shown)");
            }
            this.authToken = authToken;
        }

        /**
         * Authenticates with an API key instead of the auth token, as Twilio recommends in production: the key SID
         * ({@code SK…}) and its secret, shown once when the key is created. Requests still go to the account's path.
         *
         * @throws IllegalArgumentException when the key SID is not {@code SK} and 32 hex digits, or the secret is
         *     blank or holds spaces or non-ASCII characters (the secret is never shown)
         */
        public Builder apiKey(String keySid, String secret) {
            String sid = sid("keySid", "SK", API_KEY_SID, keySid);
            this.apiKeySecret = ProviderHttp.checkKey("secret", "a Twilio API key secret", secret);
            this.apiKeySid = sid;
            return this;
        }

        /**
         * Where to connect instead of {@code https://api.twilio.com}, e.g. a local test server; the requests stay
         * those the SDK makes for Twilio, paths and {@code Host} header included.
         *
         * @throws IllegalArgumentException when it is not an http(s) URL without path, user, query or fragment
         */
        public Builder baseUrl(String baseUrl) {
            HttpUrl url = ProviderHttp.baseUrl(baseUrl);
            if (!url.encodedPath().equals("/")) {
                throw new IllegalArgumentException("baseUrl must be an http or https URL without a path (Twilio's paths "
                        + "are fixed: /2010-04-01/Accounts/…), was " + Redaction.url(baseUrl));
            }
            this.baseUrl = url;
            return this;
        }

        /**
         * How long to wait to connect, and then for each part of the answer; 30 seconds by default.
         *
         * @throws IllegalArgumentException when it is not positive or longer than ten minutes
         */
        public Builder timeout(Duration timeout) {
            this.timeout = ProviderHttp.checkTimeout(timeout);
            return this;
        }

        /** A provider with these settings; the builder may be used again. */
        public TwilioProvider build() {
            return new TwilioProvider(this);
        }

        /** Checks a SID; shows it only when it has the expected prefix, so that a misplaced secret is not shown. */
        private static String sid(String field, String prefix, Pattern pattern, String sid) {
            Objects.requireNonNull(sid, field);
            if (!pattern.matcher(sid).matches()) {
                String shown = sid.startsWith(prefix) ? "'" + sid + "'"
                        : "a value of " + sid.length() + " characters not starting with " + prefix + " (not shown)";
                throw new IllegalArgumentException(field + " must be a Twilio SID: " + prefix
                        + " and 32 hex digits, was " + shown);
            }
            return sid;
        }
    }
}
