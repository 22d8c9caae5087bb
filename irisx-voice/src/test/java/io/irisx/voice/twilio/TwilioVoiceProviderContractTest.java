package io.irisx.voice.twilio;

import io.irisx.voice.VoiceProviderContract;
import io.irisx.voice.spi.VoiceProvider;
import io.irisx.voice.twilio.LocalTwilio.Answer;
import io.irisx.voice.twilio.LocalTwilio.Received;
import java.time.Duration;

/**
 * {@link TwilioVoiceProvider} passes the {@link VoiceProviderContract} against {@link LocalTwilio}, which speaks
 * Twilio's Calls API: https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource (placing, 201 with
 * the Call resource), https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource ({@code Status=completed}
 * to hang up, {@code Url} to redirect), and https://www.twilio.com/docs/api/errors (21211 invalid To, 400; 20404 not
 * found, 404; 20503 service unavailable, 503).
 */
class TwilioVoiceProviderContractTest extends VoiceProviderContract {

    private final LocalTwilio twilio = new LocalTwilio();

    @Override
    protected VoiceProvider newProvider() {
        return TwilioVoiceProvider.builder(LocalTwilio.ACCOUNT_SID, LocalTwilio.AUTH_TOKEN).baseUrl(twilio.baseUrl())
                .timeout(Duration.ofSeconds(2)).flowUrl("https://hooks.acme.example/voice/{tenant}/twilio").build();
    }

    @Override
    protected Refusal permanentRefusal() {
        twilio.enqueue(Answer.error(400, 21211, "The 'To' number +447400123456 is not a valid phone number."));
        return new Refusal(provider(), call(), 400);
    }

    @Override
    protected Refusal retryableRefusal() {
        twilio.enqueue(Answer.error(503, 20503, "Service Unavailable"));
        return new Refusal(provider(), call(), 503);
    }

    @Override
    protected long placings() {
        return twilio.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().equals(LocalTwilio.CALLS_PATH)).count();
    }

    @Override
    protected boolean askedToHangUp(String providerCallId) {
        return twilio.requests().stream().anyMatch(r -> isUpdateOf(r, providerCallId)
                && "completed".equals(r.param("Status")));
    }

    @Override
    protected boolean askedToRedirect(String providerCallId, String flow) {
        return twilio.requests().stream().anyMatch(r -> isUpdateOf(r, providerCallId)
                && ("https://hooks.acme.example/voice/acme/twilio?flow=" + flow).equals(r.param("Url")));
    }

    @Override
    protected String unknownCallId() {
        return LocalTwilio.sid(4040);
    }

    @Override
    protected void closeServer() {
        twilio.close();
    }

    private static boolean isUpdateOf(Received request, String sid) {
        return request.method().equals("POST") && request.path().equals("/2010-04-01/Accounts/"
                + LocalTwilio.ACCOUNT_SID + "/Calls/" + sid + ".json");
    }
}
