package io.irisx.voice.twilio;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.CallCreator;
import com.twilio.type.PhoneNumber;
import io.irisx.core.ProviderException;
import io.irisx.voice.RecordingMode;
import io.irisx.voice.spi.CallReceipt;
import io.irisx.voice.spi.OutgoingCall;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import org.apache.hc.core5.http.HttpHost;

/**
 * The Twilio SDK's side of {@link TwilioVoiceProvider}: its REST client over IRISX's HTTP client, the Call create and
 * update calls and Twilio's answers; thread-safe. Kept apart from the provider so that the provider's own class loads
 * without the SDK, and its builder can say which artifact a host lacks.
 */
final class TwilioCalls implements AutoCloseable {

    /** The call progress events Twilio reports to a status callback, every one. */
    static final List<String> STATUS_EVENTS = List.of("initiated", "ringing", "answered", "completed");

    private final String accountSid;
    private final TwilioHttpClient http;
    private final TwilioRestClient client;

    /** A client for {@code accountSid}, as itself ({@code apiKeySid} null) or as an API key of it. */
    TwilioCalls(String accountSid, String authToken, String apiKeySid, String apiKeySecret, HttpUrl baseUrl,
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
        return baseUrl.equals(HttpUrl.get(TwilioVoiceProvider.DEFAULT_BASE_URL + "/")) ? null
                : new HttpHost(baseUrl.scheme(), baseUrl.host(), baseUrl.port());
    }

    /** The recording events Twilio reports to a recording status callback: each recording's end and its failure. */
    static final List<String> RECORDING_EVENTS = List.of("completed", "absent");

    /**
     * Places {@code call}, which fetches its instructions from {@code url}, with one create request, made once; a
     * recorded call's recording is reported to {@code recordingCallback}, when given.
     */
    CallReceipt place(OutgoingCall call, URI url, Optional<URI> statusCallback, Optional<URI> recordingCallback) {
        CallCreator creator = Call.creator(accountSid, new PhoneNumber(call.to()), new PhoneNumber(call.from()), url)
                .setMethod(HttpMethod.POST)
                .setTimeout((int) call.ringTimeout().toSeconds())
                .setTimeLimit((int) call.timeLimit().toSeconds());
        statusCallback.ifPresent(callback -> creator.setStatusCallback(callback)
                .setStatusCallbackMethod(HttpMethod.POST)
                .setStatusCallbackEvent(STATUS_EVENTS));
        switch (call.recording()) {
            case MONO -> creator.setRecord(true).setRecordingChannels("mono");
            case DUAL -> creator.setRecord(true).setRecordingChannels("dual");
            case NONE -> { }
        }
        if (call.recording() != RecordingMode.NONE) {
            recordingCallback.ifPresent(callback -> creator.setRecordingStatusCallback(callback.toString())
                    .setRecordingStatusCallbackMethod(HttpMethod.POST)
                    .setRecordingStatusCallbackEvent(RECORDING_EVENTS));
        }
        switch (call.machineDetection()) {
            case ENABLE -> creator.setMachineDetection("Enable");
            case DETECT_MESSAGE_END -> creator.setMachineDetection("DetectMessageEnd");
            case OFF -> { }
        }
        return request(() -> creator.create(client));
    }

    /** Ends call {@code sid}, ringing or answered: {@code Status=completed}. */
    CallReceipt hangup(String sid) {
        return request(() -> Call.updater(accountSid, sid).setStatus(Call.UpdateStatus.COMPLETED).update(client));
    }

    /** Makes call {@code sid} fetch its instructions from {@code url} now. */
    CallReceipt redirect(String sid, URI url) {
        return request(() -> Call.updater(accountSid, sid).setUrl(url).setMethod(HttpMethod.POST).update(client));
    }

    private CallReceipt request(Supplier<Call> request) {
        try {
            return receipt(request.get());
        } catch (ApiException | ApiConnectionException e) {
            throw TwilioCallFailures.of(e, http.lastAnswer());
        } finally {
            http.forget();
        }
    }

    private CallReceipt receipt(Call call) {
        String sid = call.getSid();
        if (sid == null || sid.isBlank()) {
            TwilioHttpClient.Answer answer = http.lastAnswer();
            throw new ProviderException(TwilioVoiceProvider.NAME, answer == null ? 0 : answer.status(),
                    answer == null ? null : answer.requestId(), false,
                    "accepted the request but its answer has no 'sid': " + (answer == null ? "" : answer.body()));
        }
        String status = call.getStatus() == null ? "" : call.getStatus().toString();
        return new CallReceipt(sid, status, TwilioStatuses.of(status));
    }

    @Override
    public void close() {
        http.close();
    }
}
