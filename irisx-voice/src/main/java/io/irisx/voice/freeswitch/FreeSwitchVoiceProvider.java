package io.irisx.voice.freeswitch;

import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.voice.CallStatus;
import io.irisx.voice.Voice;
import io.irisx.voice.freeswitch.internal.CallRunner;
import io.irisx.voice.freeswitch.internal.EslConnection;
import io.irisx.voice.freeswitch.internal.EslException;
import io.irisx.voice.spi.CallReceipt;
import io.irisx.voice.spi.OutgoingCall;
import io.irisx.voice.spi.ProviderCall;
import io.irisx.voice.spi.VoiceProvider;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * FreeSWITCH as a {@link VoiceProvider}, over its Event Socket in inbound mode ({@code mod_event_socket}, by default
 * on port 8021); thread-safe, one per FreeSWITCH, registered on the {@link io.irisx.voice.VoiceModule}, which starts
 * it. It needs no SDK: IRISX speaks the Event Socket itself.
 *
 * <p>It keeps one connection open: it authenticates with the password of FreeSWITCH's
 * {@code event_socket.conf.xml} (never logged), subscribes to the channel events it follows, and reconnects after a
 * backoff that doubles from {@link Builder#reconnectBackoff initial} to max, subscribing again; calls in progress go on
 * across a reconnection. A refused password stops it, logged at ERROR: every call then fails without being retried.
 *
 * <ul>
 *   <li>{@link #place} sends {@code bgapi originate {origination_uuid=…,irisx_call_id=…,irisx_tenant=…,irisx_flow=…,
 *       origination_caller_id_number=<from>,originate_timeout=<ring timeout>,tts_engine=…,tts_voice=…}<dial string>
 *       &park()}, the {@linkplain Builder#dialString dial string} the host configures with {@code {number}} in place of
 *       the E.164 number ({@code sofia/gateway/main/{number}}). The channel's UUID is the provider call id.</li>
 *   <li>{@code CHANNEL_PROGRESS} and {@code CHANNEL_PROGRESS_MEDIA} mean RINGING, {@code CHANNEL_ANSWER} IN_PROGRESS,
 *       {@code CHANNEL_HANGUP_COMPLETE} the final status of its {@code Hangup-Cause} (answered: COMPLETED, with
 *       {@code variable_billsec} as the duration; {@code USER_BUSY}: BUSY; {@code NO_ANSWER}: NO_ANSWER; …), and a
 *       {@code BACKGROUND_JOB} of {@code -ERR <cause>} the same for a call that never got a channel. Each is recorded
 *       with {@link Voice#record(io.irisx.voice.CallReport)}, once, never backwards.</li>
 *   <li>Once answered, the call runs its flow as dialplan applications sent with {@code sendmsg} (with
 *       {@code event-lock}): say is {@code speak}, play {@code playback}, pause {@code sleep}, gather
 *       {@code play_and_get_digits} after its prompts (digits only, no barge-in; {@code DTMF} events as a fallback),
 *       record {@code record}, dial {@code bridge}, hang-up {@code hangup}, redirect the other flow; the flow's end
 *       hangs up. A call with recording on runs {@code record_session} first. A time limit is a {@code sched_hangup}.
 *   </li>
 *   <li>{@code RECORD_STOP} stores a recording, its id the file's name, its URL the {@linkplain Builder#recordings
 *       recording URL} with the file's name appended (the host serves FreeSWITCH's recordings directory there).</li>
 *   <li>{@link #hangup} is {@code api uuid_kill <uuid>}; {@link #redirect} is {@code api uuid_break <uuid> all}, then
 *       the other flow.</li>
 * </ul>
 *
 * <p>Calls that run a URL instead of a flow are refused: FreeSWITCH runs IRISX flows only. Answering-machine detection
 * is not run (a call's {@code machineDetection} is ignored), and a say's language is left to the TTS voice. Inbound
 * calls (the Event Socket's outbound mode) are not handled.
 */
public final class FreeSwitchVoiceProvider implements VoiceProvider {

    /** The provider's name. */
    public static final String NAME = CallRunner.PROVIDER;

    private static final Pattern DIAL_STRING = Pattern.compile("[^\\s{}]*\\{number}[^\\s{}]*");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final EslConnection connection;
    private final CallRunner runner;
    private final Duration connectTimeout;
    private final String address;

    private FreeSwitchVoiceProvider(Builder b) {
        this.runner = new CallRunner(b.dialString, b.ttsEngine, b.ttsVoice, b.recordingDirectory,
                Optional.ofNullable(b.recordingUrl));
        this.connection = EslConnection.builder(b.host, b.port, b.password).events(b.format, CallRunner.EVENTS)
                .listener(runner).backoff(b.initialBackoff, b.maxBackoff).replyTimeout(b.replyTimeout).build();
        this.runner.connection(connection);
        this.connectTimeout = b.replyTimeout;
        this.address = b.host + ":" + b.port;
    }

    /**
     * A builder for the FreeSWITCH whose Event Socket listens at {@code host:port} with {@code password}.
     *
     * @throws IllegalArgumentException when the host is blank, the port not from 1 to 65535, or the password empty or
     *     on several lines (it is never shown)
     */
    public static Builder builder(String host, int port, String password) {
        return new Builder(host, port, password);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Connects, in the background, with each tenant's calls to report to. */
    @Override
    public void start(Function<TenantId, Voice> voices) {
        runner.voices(Objects.requireNonNull(voices, "voices"));
        connection.start();
    }

    /**
     * Originates the call; the receipt is INITIATED with the channel's UUID once FreeSWITCH took the job.
     *
     * @throws ProviderException not retryable for a call that runs a URL, a refused password or a refused command;
     *     retryable, status 503, when the Event Socket is not connected (nothing was sent), and status 0 when the
     *     reply did not come (the call may have been placed)
     */
    @Override
    public CallReceipt place(OutgoingCall call) {
        Objects.requireNonNull(call, "call");
        if (call.flow().isEmpty()) {
            throw new ProviderException(NAME, 400, null, false, "FreeSWITCH runs IRISX flows only: call " + call.id()
                    + " runs a URL; give it a flow");
        }
        ready();
        try {
            return new CallReceipt(runner.originate(call), "originate", Optional.of(CallStatus.INITIATED));
        } catch (EslException e) {
            throw failure(e);
        } catch (IllegalStateException e) {
            throw new ProviderException(NAME, 500, null, false, "FreeSWITCH refused originate: " + e.getMessage());
        }
    }

    /**
     * Hangs the call up with {@code uuid_kill}; its final status follows from {@code CHANNEL_HANGUP_COMPLETE}.
     *
     * @throws ProviderException 404 when FreeSWITCH has no such channel; as {@link #place} for the connection
     */
    @Override
    public CallReceipt hangup(ProviderCall call) {
        Objects.requireNonNull(call, "call");
        ready();
        try {
            if (!runner.hangup(call.providerCallId())) {
                throw new ProviderException(NAME, 404, null, false, "FreeSWITCH has no channel "
                        + call.providerCallId() + " for call " + call.id() + ": it ended already");
            }
            return new CallReceipt(call.providerCallId(), "uuid_kill", Optional.empty());
        } catch (EslException e) {
            throw failure(e);
        }
    }

    /**
     * Breaks what the call runs and starts flow {@code flow}.
     *
     * @throws ProviderException 404 when FreeSWITCH has no such channel; as {@link #place} for the connection
     */
    @Override
    public CallReceipt redirect(ProviderCall call, String flow) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(flow, "flow");
        ready();
        try {
            if (!runner.redirect(call.id(), call.tenant(), call.providerCallId(), flow)) {
                throw new ProviderException(NAME, 404, null, false, "FreeSWITCH has no channel "
                        + call.providerCallId() + " for call " + call.id() + ": it ended already");
            }
            return new CallReceipt(call.providerCallId(), "uuid_break", Optional.empty());
        } catch (EslException e) {
            throw failure(e);
        }
    }

    /** Whether the Event Socket is connected and subscribed now. */
    public boolean isConnected() {
        return connection.isUp();
    }

    /** Says {@code exit} and closes the Event Socket. */
    @Override
    public void close() {
        connection.close();
        runner.close();
    }

    @Override
    public String toString() {
        return "FreeSwitchVoiceProvider[" + address + "]";
    }

    private void ready() {
        try {
            if (!connection.awaitUp(connectTimeout)) {
                throw new ProviderException(NAME, 503, null, true, "the Event Socket to FreeSWITCH at " + address
                        + " is not connected; nothing was sent");
            }
        } catch (EslException e) {
            throw failure(e);
        }
    }

    private static ProviderException failure(EslException e) {
        if (e.authentication()) {
            return new ProviderException(NAME, 401, null, false, e.getMessage());
        }
        return new ProviderException(NAME, e.sent() ? 0 : 503, null, true, e.getMessage());
    }

    /** Builds a {@link FreeSwitchVoiceProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final String password;
        private String dialString;
        private String format = "plain";
        private String ttsEngine = "flite";
        private String ttsVoice = "kal";
        private String recordingDirectory = "${recordings_dir}";
        private String recordingUrl;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration replyTimeout = Duration.ofSeconds(10);

        private Builder(String host, int port, String password) {
            // The connection's builder checks them; checked here too so the builder fails at once.
            EslConnection.builder(host, port, password);
            this.host = host;
            this.port = port;
            this.password = password;
        }

        /**
         * How a number is reached: a FreeSWITCH dial string with {@code {number}} in place of the E.164 number, such
         * as {@code sofia/gateway/main/{number}} (required).
         */
        public Builder dialString(String dialString) {
            Objects.requireNonNull(dialString, "dialString");
            if (!DIAL_STRING.matcher(dialString).matches()) {
                throw new IllegalArgumentException("dialString must hold {number} once and no spaces or braces, such"
                        + " as sofia/gateway/main/{number}, was '" + dialString + "'");
            }
            this.dialString = dialString;
            return this;
        }

        /** Events in {@code plain} (the default) or {@code json}. */
        public Builder eventFormat(String format) {
            Objects.requireNonNull(format, "format");
            if (!format.equals("plain") && !format.equals("json")) {
                throw new IllegalArgumentException("eventFormat must be plain or json, was '" + format + "'");
            }
            this.format = format;
            return this;
        }

        /** The text-to-speech engine and default voice of {@code speak} (default {@code flite}, {@code kal}). */
        public Builder tts(String engine, String voice) {
            this.ttsEngine = word("tts engine", engine);
            this.ttsVoice = word("tts voice", voice);
            return this;
        }

        /**
         * Where FreeSWITCH writes recordings (a directory on its host, default {@code ${recordings_dir}}, the global
         * variable), and the https URL the host serves that directory at: a recording's URL is it, a slash, and the
         * file's name. Without a URL, recordings are made but not stored.
         */
        public Builder recordings(String directory, String url) {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(url, "url");
            if (directory.isBlank() || directory.chars().anyMatch(c -> c == ' ' || Character.isISOControl(c))) {
                throw new IllegalArgumentException("recordings directory must be a path without spaces, was '"
                        + directory + "'");
            }
            if (!url.startsWith("https://") || url.length() > 1900 || url.contains(" ")) {
                throw new IllegalArgumentException("recordings url must be an https URL, was '" + url + "'");
            }
            this.recordingDirectory = directory.endsWith("/") ? directory.substring(0, directory.length() - 1)
                    : directory;
            this.recordingUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            return this;
        }

        /** The first wait before reconnecting, doubled after each failure up to {@code max} (default 200 ms, 30 s). */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("reconnectBackoff must be positive and max at least initial, was "
                        + initial + " to " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** How long a command waits for its reply, and a call for the connection (default 10 s). */
        public Builder replyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.toMinutes() > 5) {
                throw new IllegalArgumentException("replyTimeout must be from 1 ms to 5 minutes, was " + timeout);
            }
            this.replyTimeout = timeout;
            return this;
        }

        /**
         * The provider, not yet connected: the {@code VoiceModule} starts it.
         *
         * @throws IllegalStateException when no dial string is set
         */
        public FreeSwitchVoiceProvider build() {
            if (dialString == null) {
                throw new IllegalStateException("set the dialString, such as sofia/gateway/main/{number}");
            }
            return new FreeSwitchVoiceProvider(this);
        }

        private static String word(String field, String value) {
            Objects.requireNonNull(value, field);
            if (!WORD.matcher(value).matches()) {
                throw new IllegalArgumentException(field + " must be a word of letters, digits, '.', '_' or '-', was '"
                        + value + "'");
            }
            return value;
        }
    }
}
