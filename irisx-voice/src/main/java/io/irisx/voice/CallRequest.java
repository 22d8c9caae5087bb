package io.irisx.voice;

import io.irisx.core.IrisxValidationException;
import io.irisx.voice.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One outbound call to place: whom to call, from which number, what the call does once answered (an IVR
 * {@linkplain io.irisx.voice.flow.Flow flow} of the {@link VoiceModule}, or the URL of the host's own instructions),
 * whether it is recorded, answering-machine detection, how long it rings and may last, where the provider reports its
 * statuses, and an idempotency key; immutable. The builder checks each value as it is set, throwing
 * {@link IrisxValidationException} naming the field and the value; the numbers are normalised to E.164 by
 * {@link Voice#call}, in the module's default region.
 *
 * <pre>{@code
 * CallRequest request = CallRequest.builder()
 *         .to("+44 7400 123456")
 *         .from("+14155550100")
 *         .flow("appointment-reminder")
 *         .record(RecordingMode.DUAL)
 *         .ringTimeout(Duration.ofSeconds(30))
 *         .idempotencyKey("reminder-8812")
 *         .build();
 * }</pre>
 */
public final class CallRequest {

    /** The ring timeout when none is given: 60 seconds, as Twilio's. */
    public static final Duration DEFAULT_RING_TIMEOUT = Duration.ofSeconds(60);
    /** The longest ring timeout: 600 seconds. */
    public static final Duration MAX_RING_TIMEOUT = Duration.ofSeconds(600);
    /** The time limit when none is given: 4 hours, as Twilio's. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofHours(4);
    /** The longest time limit: 24 hours. */
    public static final Duration MAX_TIME_LIMIT = Duration.ofHours(24);

    /** What a phone number may be written with: digits, a leading plus, spaces, dots, dashes and parentheses. */
    private static final Pattern NUMBER_TEXT = Pattern.compile("\\+?[0-9 ().-]{1,40}");

    private final String to;
    private final String from;
    private final String flow;
    private final String url;
    private final RecordingMode recording;
    private final MachineDetection machineDetection;
    private final Duration ringTimeout;
    private final Duration timeLimit;
    private final String statusCallback;
    private final String idempotencyKey;

    private CallRequest(Builder b) {
        this.to = b.to;
        this.from = b.from;
        this.flow = b.flow;
        this.url = b.url;
        this.recording = b.recording;
        this.machineDetection = b.machineDetection;
        this.ringTimeout = b.ringTimeout;
        this.timeLimit = b.timeLimit;
        this.statusCallback = b.statusCallback;
        this.idempotencyKey = b.idempotencyKey;
    }

    /** A builder for a call. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number to call, as given. */
    public String to() {
        return to;
    }

    /** The caller id, as given: a number of the host's at the provider. */
    public String from() {
        return from;
    }

    /** The name of the flow the call runs, when it runs one of the module's flows. */
    public Optional<String> flow() {
        return Optional.ofNullable(flow);
    }

    /** The URL of the host's own instructions for the call (TwiML, for Twilio), when it runs no flow. */
    public Optional<String> url() {
        return Optional.ofNullable(url);
    }

    /** Whether and how the call is recorded. */
    public RecordingMode recording() {
        return recording;
    }

    /** Whether the provider listens for an answering machine. */
    public MachineDetection machineDetection() {
        return machineDetection;
    }

    /** How long the call rings before it is given up as not answered. */
    public Duration ringTimeout() {
        return ringTimeout;
    }

    /** The longest the call may last once answered. */
    public Duration timeLimit() {
        return timeLimit;
    }

    /** The URL the provider reports this call's statuses to, if not the provider's default. */
    public Optional<String> statusCallback() {
        return Optional.ofNullable(statusCallback);
    }

    /** The caller's idempotency key, if it gave one. */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    @Override
    public String toString() {
        // Numbers are personal data: never logged.
        return "CallRequest[" + (flow != null ? "flow " + flow : "url") + ", recording=" + recording
                + ", machineDetection=" + machineDetection + "]";
    }

    /** Builds a {@link CallRequest}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private String to;
        private String from;
        private String flow;
        private String url;
        private RecordingMode recording = RecordingMode.NONE;
        private MachineDetection machineDetection = MachineDetection.OFF;
        private Duration ringTimeout = DEFAULT_RING_TIMEOUT;
        private Duration timeLimit = DEFAULT_TIME_LIMIT;
        private String statusCallback;
        private String idempotencyKey;

        private Builder() {
        }

        /** The number to call, international ({@code +44 7400 123456}) or national in the module's region. */
        public Builder to(String to) {
            this.to = number("to", to);
            return this;
        }

        /** The caller id: a number of the host's at the provider, written as {@link #to} is. */
        public Builder from(String from) {
            this.from = number("from", from);
            return this;
        }

        /**
         * The flow the call runs once answered: the name of one of the {@link VoiceModule}'s flows (checked by
         * {@link Voice#call}). Replaces a {@link #url}.
         */
        public Builder flow(String flow) {
            this.flow = Checks.name("flow", flow);
            this.url = null;
            return this;
        }

        /**
         * The https URL of the host's own instructions for the call, which the provider fetches once the call is
         * answered (TwiML, for Twilio). Replaces a {@link #flow}.
         */
        public Builder url(String url) {
            this.url = Checks.httpsUrl("url", url);
            this.flow = null;
            return this;
        }

        /** Whether and how the call is recorded (default {@link RecordingMode#NONE}). */
        public Builder record(RecordingMode recording) {
            this.recording = Objects.requireNonNull(recording, "recording");
            return this;
        }

        /** Whether the provider listens for an answering machine (default {@link MachineDetection#OFF}). */
        public Builder machineDetection(MachineDetection machineDetection) {
            this.machineDetection = Objects.requireNonNull(machineDetection, "machineDetection");
            return this;
        }

        /** How long the call rings before it is given up as not answered: whole seconds, 1 to 600 (default 60). */
        public Builder ringTimeout(Duration ringTimeout) {
            this.ringTimeout = Checks.seconds("ringTimeout", ringTimeout, Duration.ofSeconds(1), MAX_RING_TIMEOUT);
            return this;
        }

        /** The longest the call may last once answered: whole seconds, 1 second to 24 hours (default 4 hours). */
        public Builder timeLimit(Duration timeLimit) {
            this.timeLimit = Checks.seconds("timeLimit", timeLimit, Duration.ofSeconds(1), MAX_TIME_LIMIT);
            return this;
        }

        /** The https URL the provider reports this call's statuses to, instead of the provider's default. */
        public Builder statusCallback(String url) {
            this.statusCallback = Checks.httpsUrl("statusCallback", url);
            return this;
        }

        /** The caller's idempotency key: calling again with the same key returns the first call's id. */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = Checks.idempotencyKey(idempotencyKey);
            return this;
        }

        /**
         * Checks the whole request and returns it; the builder may be used again.
         *
         * @throws IrisxValidationException when {@code to}, {@code from}, or both a flow and a URL are missing
         */
        public CallRequest build() {
            if (to == null) {
                throw new IrisxValidationException("to", null, "is required");
            }
            if (from == null) {
                throw new IrisxValidationException("from", null, "is required: the caller id the call shows");
            }
            if (flow == null && url == null) {
                throw new IrisxValidationException("flow", null, "a flow or a url is required: what the call does"
                        + " once answered");
            }
            return new CallRequest(this);
        }

        private static String number(String field, String text) {
            Objects.requireNonNull(text, field);
            if (!NUMBER_TEXT.matcher(text).matches()) {
                throw new IrisxValidationException(field, text, "is not a phone number: digits, with a leading +,"
                        + " spaces, dots, dashes and parentheses, at most 40 characters");
            }
            return text;
        }
    }
}
