package io.irisx.voice.tts.polly;

import io.irisx.core.ProviderException;
import io.irisx.voice.tts.AudioFormat;
import io.irisx.voice.tts.TtsAudio;
import io.irisx.voice.tts.internal.Wav;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.polly.PollyClient;
import software.amazon.awssdk.services.polly.PollyClientBuilder;
import software.amazon.awssdk.services.polly.model.OutputFormat;
import software.amazon.awssdk.services.polly.model.SynthesizeSpeechRequest;
import software.amazon.awssdk.services.polly.model.SynthesizeSpeechResponse;
import software.amazon.awssdk.services.polly.model.TextType;

/**
 * The AWS SDK's Polly client, kept apart from {@link PollyTtsProvider} so that the provider's class loads (and says
 * which artifact is missing) without the SDK. Thread-safe. Not API.
 */
final class PollyCalls implements AutoCloseable {

    private static final int MAX_ERROR_TEXT = 300;

    private final PollyClient client;
    private final String engine;

    PollyCalls(String region, String accessKeyId, String secretAccessKey, String sessionToken, URI endpoint,
            String engine, Duration timeout) {
        this.engine = engine;
        AwsCredentialsProvider credentials = StaticCredentialsProvider.create(sessionToken == null
                ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
        PollyClientBuilder builder = PollyClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout).build())
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout)
                        // A retry is IRISX's decision, taken with the fallback chain.
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        this.client = builder.build();
    }

    TtsAudio synthesize(String text, String voice, Optional<String> language, AudioFormat format) {
        SynthesizeSpeechRequest.Builder request = SynthesizeSpeechRequest.builder()
                .text(text)
                .textType(TextType.TEXT)
                .voiceId(voice)
                .engine(engine)
                .outputFormat(format == AudioFormat.MP3 ? OutputFormat.MP3 : OutputFormat.PCM);
        if (format == AudioFormat.WAV) {
            request.sampleRate(String.valueOf(PollyTtsProvider.PCM_SAMPLE_RATE));
        }
        language.ifPresent(request::languageCode);
        ResponseBytes<SynthesizeSpeechResponse> response;
        try {
            response = client.synthesizeSpeechAsBytes(request.build());
        } catch (SdkException e) {
            throw failure(e);
        }
        byte[] bytes = response.asByteArray();
        if (bytes.length == 0) {
            throw new ProviderException(PollyTtsProvider.NAME, 200, null, true, "answered with no audio");
        }
        Integer billed = response.response().requestCharacters();
        byte[] audio = format == AudioFormat.MP3 ? bytes : Wav.ofPcm16(bytes, PollyTtsProvider.PCM_SAMPLE_RATE);
        return new TtsAudio(audio, format, billed == null ? text.length() : billed);
    }

    /** The SDK's failure as IRISX sees it: Polly's status, request id, error type and words, and whether to retry. */
    static ProviderException failure(SdkException e) {
        String name = PollyTtsProvider.NAME;
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            boolean retryable = status == 408 || status == 429 || status >= 500 || service.isThrottlingException();
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
            String text = (code == null ? "" : code + ": ") + (message == null ? "no message" : message);
            return new ProviderException(name, status, service.requestId(), retryable,
                    text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…", e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || hasCause(e, InterruptedIOException.class)) {
            return new ProviderException(name, 0, null, true, "no answer within the timeout", e);
        }
        if (hasCause(e, IOException.class)) {
            return new ProviderException(name, 0, null, true, "connection failed: " + e.getMessage(), e);
        }
        // Missing credentials, an answer the SDK could not read: the same request would fail the same way.
        return new ProviderException(name, 0, null, false, String.valueOf(e.getMessage()), e);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        client.close();
    }
}
