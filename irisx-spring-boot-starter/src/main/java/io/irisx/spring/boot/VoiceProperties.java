package io.irisx.spring.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code irisx.voice.*} properties: the voice module and its Twilio and FreeSWITCH providers. The module is
 * installed when io.irisx:irisx-voice is on the class path and a provider is configured
 * ({@code irisx.voice.twilio.account-sid}, {@code irisx.voice.freeswitch.host}), or the process is queue-only; the application's {@code Flow} beans are its flows. Bound once at startup and then only
 * read; not thread-safe while being bound.
 */
public class VoiceProperties {

    /** Whether to install the voice module when io.irisx:irisx-voice is on the class path and configured. */
    private boolean enabled = true;

    /** Whether this process only queues calls, leaving the placing to other processes; takes no provider. */
    private boolean queueOnly;

    /** The region national numbers are read in, an ISO 3166 code such as GB (IRISX's default, US, when unset). */
    private String defaultRegion;

    /** How many calls this process places at once, 1 to 256 (IRISX's default, 4, when unset). */
    private Integer concurrency;

    /** Twilio, through its SDK (com.twilio.sdk:twilio, to add). */
    private final Twilio twilio = new Twilio();

    /** FreeSWITCH, over its Event Socket (no SDK). */
    private final FreeSwitch freeswitch = new FreeSwitch();

    /** Text-to-speech for the flows' say prompts, through OpenAI, ElevenLabs and AWS Polly. */
    private final TtsProperties tts = new TtsProperties();

    /**
     * The providers configured, by their property names, in the order calls try them: twilio when its account SID is
     * set, freeswitch when its host is.
     */
    public List<String> configuredProviders() {
        List<String> configured = new ArrayList<>();
        EmailProperties.addIf(configured, "twilio", twilio.getAccountSid());
        EmailProperties.addIf(configured, "freeswitch", freeswitch.getHost());
        return configured;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isQueueOnly() {
        return queueOnly;
    }

    public void setQueueOnly(boolean queueOnly) {
        this.queueOnly = queueOnly;
    }

    public String getDefaultRegion() {
        return defaultRegion;
    }

    public void setDefaultRegion(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    public Twilio getTwilio() {
        return twilio;
    }

    public FreeSwitch getFreeswitch() {
        return freeswitch;
    }

    public TtsProperties getTts() {
        return tts;
    }

    /** {@code irisx.voice.freeswitch.*}: the Event Socket of one FreeSWITCH, and how its calls are dialled. */
    public static class FreeSwitch {

        /** The host of FreeSWITCH's Event Socket (mod_event_socket, inbound mode). */
        private String host;

        /** Its port (8021 when unset). */
        private int port = 8021;

        /** The password of its event_socket.conf.xml; never logged. */
        private String password;

        /** How a number is reached, {number} in place of the E.164 number, such as sofia/gateway/main/{number}. */
        private String dialString;

        /** Where FreeSWITCH writes recordings (its ${recordings_dir} when unset); needs recordings-url. */
        private String recordingsDirectory;

        /** The https URL the application serves that directory at; without it, recordings are not stored. */
        private String recordingsUrl;

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getDialString() {
            return dialString;
        }

        public void setDialString(String dialString) {
            this.dialString = dialString;
        }

        public String getRecordingsDirectory() {
            return recordingsDirectory;
        }

        public void setRecordingsDirectory(String recordingsDirectory) {
            this.recordingsDirectory = recordingsDirectory;
        }

        public String getRecordingsUrl() {
            return recordingsUrl;
        }

        public void setRecordingsUrl(String recordingsUrl) {
            this.recordingsUrl = recordingsUrl;
        }

        @Override
        public String toString() {
            return "FreeSwitch[" + host + ":" + port + ", password " + (password == null ? "unset" : "set") + "]";
        }
    }

    /** {@code irisx.voice.twilio.*}: the account, and the URLs Twilio is given for calls. */
    public static class Twilio extends TwilioAccountProperties {

        /**
         * Where the application mounts TwilioVoiceCallbacks.flow, with {tenant} where the tenant's id goes, such as
         * https://hooks.acme.example/voice/{tenant}/twilio; required for calls that run a flow.
         */
        private String flowUrl;

        /**
         * Where the application mounts TwilioVoiceCallbacks.status, with {tenant} where the tenant's id goes, for
         * calls that name no status callback of their own.
         */
        private String statusCallbackUrl;

        /**
         * Where the application mounts TwilioVoiceCallbacks.recording, with {tenant} where the tenant's id goes: a
         * recorded call is then created with it as its RecordingStatusCallback.
         */
        private String recordingStatusCallbackUrl;

        public String getFlowUrl() {
            return flowUrl;
        }

        public void setFlowUrl(String flowUrl) {
            this.flowUrl = flowUrl;
        }

        public String getStatusCallbackUrl() {
            return statusCallbackUrl;
        }

        public void setStatusCallbackUrl(String statusCallbackUrl) {
            this.statusCallbackUrl = statusCallbackUrl;
        }

        public String getRecordingStatusCallbackUrl() {
            return recordingStatusCallbackUrl;
        }

        public void setRecordingStatusCallbackUrl(String recordingStatusCallbackUrl) {
            this.recordingStatusCallbackUrl = recordingStatusCallbackUrl;
        }
    }
}
