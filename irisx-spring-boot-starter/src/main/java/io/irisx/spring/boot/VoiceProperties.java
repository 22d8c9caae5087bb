package io.irisx.spring.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code irisx.voice.*} properties: the voice module and its Twilio provider. The module is installed when
 * io.irisx:irisx-voice is on the class path and Twilio is configured ({@code irisx.voice.twilio.account-sid}), or the
 * process is queue-only; the application's {@code Flow} beans are its flows. Bound once at startup and then only
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

    /** The providers configured, by their property names: twilio when its account SID is set. */
    public List<String> configuredProviders() {
        List<String> configured = new ArrayList<>();
        EmailProperties.addIf(configured, "twilio", twilio.getAccountSid());
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
