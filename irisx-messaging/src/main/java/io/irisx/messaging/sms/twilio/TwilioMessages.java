package io.irisx.messaging.sms.twilio;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.irisx.core.ProviderException;
import io.irisx.messaging.sms.spi.OutgoingSms;
import io.irisx.messaging.sms.spi.SmsReceipt;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;
import org.apache.hc.core5.http.HttpHost;

/**
 * The Twilio SDK's side of {@link TwilioProvider}: its REST client over IRISX's HTTP client, the Message create call
 * and Twilio's answers; thread-safe. Kept apart from {@link TwilioProvider} so that the provider's own class loads
 * without the SDK, and its builder can say which artifact a host lacks.
 */
final class TwilioMessages implements AutoCloseable {

    private static final String NAME = TwilioProvider.NAME;
    private static final int MAX_MEDIA = TwilioProvider.MAX_MEDIA;

    private final String accountSid;
    private final TwilioHttpClient http;
    private final TwilioRestClient client;

    /** A client for {@code accountSid}, as itself ({@code apiKeySid} null) or as an API key of it. */
    TwilioMessages(String accountSid, String authToken, String apiKeySid, String apiKeySecret, HttpUrl baseUrl,
            Duration timeout) {
        this.accountSid = accountSid;
        this.http = new TwilioHttpClient(timeout, target(baseUrl));
        TwilioRestClient.Builder rest = apiKeySid == null
                ? new TwilioRestClient.Builder(accountSid, authToken)
                : new TwilioRestClient.Builder(apiKeySid, apiKeySecret).accountSid(accountSid);
        this.client = rest.httpClient(http).build();
    }

    /** Where connections go instead of Twilio, or {@code null} for Twilio itself. */
    private static HttpHost target(HttpUrl baseUrl) {
        return baseUrl.equals(HttpUrl.get(TwilioProvider.DEFAULT_BASE_URL + "/")) ? null
                : new HttpHost(baseUrl.scheme(), baseUrl.host(), baseUrl.port());
    }

    /** Sends {@code sms} with one create call, made once. */
    SmsReceipt send(OutgoingSms sms) {
        MessageCreator creator = creator(sms);
        try {
            return receipt(creator.create(client));
        } catch (ApiException | ApiConnectionException e) {
            throw TwilioFailures.of(e, http.lastAnswer());
        } finally {
            http.forget();
        }
    }

    private MessageCreator creator(OutgoingSms sms) {
        if (sms.mediaUrls().size() > MAX_MEDIA) {
            throw new ProviderException(NAME, 0, null, false, "Twilio takes at most " + MAX_MEDIA
                    + " media URLs per message, " + sms + " has " + sms.mediaUrls().size());
        }
        try {
            MessageCreator creator = creatorFor(sms, sms.mediaUrls().stream().map(URI::create).toList());
            if (!sms.statusCallback().isEmpty()) {
                creator.setStatusCallback(URI.create(sms.statusCallback()));
            }
            if (sms.validityPeriodSeconds() > 0) {
                creator.setValidityPeriod(sms.validityPeriodSeconds());
            }
            return creator;
        } catch (IllegalArgumentException e) {
            throw new ProviderException(NAME, 0, null, false, "cannot send " + sms + " to Twilio: a media or status "
                    + "callback URL is not a URI (" + e.getMessage() + ")", e);
        }
    }

    /** The creator for the sender (number or messaging service) and media; an MMS without text has no Body. */
    private MessageCreator creatorFor(OutgoingSms sms, List<URI> media) {
        PhoneNumber to = new PhoneNumber(sms.to());
        boolean service = sms.from().isEmpty();
        if (sms.body().isEmpty() && !media.isEmpty()) {
            return service ? Message.creator(accountSid, to, sms.messagingServiceSid(), media)
                    : Message.creator(accountSid, to, new PhoneNumber(sms.from()), media);
        }
        MessageCreator creator = service ? Message.creator(accountSid, to, sms.messagingServiceSid(), sms.body())
                : Message.creator(accountSid, to, new PhoneNumber(sms.from()), sms.body());
        return media.isEmpty() ? creator : creator.setMediaUrl(media);
    }

    private SmsReceipt receipt(Message message) {
        String sid = message.getSid();
        if (sid == null || sid.isBlank()) {
            TwilioHttpClient.Answer answer = http.lastAnswer();
            throw new ProviderException(NAME, answer == null ? 0 : answer.status(),
                    answer == null ? null : answer.requestId(), false,
                    "accepted the request but its answer has no 'sid': " + (answer == null ? "" : answer.body()));
        }
        return new SmsReceipt(sid, message.getStatus() == null ? "" : message.getStatus().toString());
    }

    @Override
    public void close() {
        http.close();
    }
}
