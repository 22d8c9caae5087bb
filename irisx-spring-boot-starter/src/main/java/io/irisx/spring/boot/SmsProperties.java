package io.irisx.spring.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code irisx.sms.*} properties: the SMS and MMS module and its provider. The module is installed when Twilio
 * is configured (its account SID), or when the process is send-only. Bound once at startup and then only read; not
 * thread-safe while being bound.
 */
public class SmsProperties {

    /** Whether to install the SMS module when io.irisx:irisx-messaging is on the class path and configured. */
    private boolean enabled = true;

    /** Whether this process only queues messages, leaving the sending to other processes; takes no provider. */
    private boolean sendOnly;

    /** The region national numbers are read in, an ISO 3166 code such as GB (IRISX's default, US, when unset). */
    private String defaultRegion;

    /** The most segments a message may have, 1 to 10; no limit when unset. */
    private Integer maxSegments;

    /** How many messages this process sends at once, 1 to 256 (IRISX's default, 4, when unset). */
    private Integer concurrency;

    /** Twilio, through its SDK (com.twilio.sdk:twilio, to add). */
    private final Twilio twilio = new Twilio();

    /** The providers configured, by their property names (twilio). */
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

    public boolean isSendOnly() {
        return sendOnly;
    }

    public void setSendOnly(boolean sendOnly) {
        this.sendOnly = sendOnly;
    }

    public String getDefaultRegion() {
        return defaultRegion;
    }

    public void setDefaultRegion(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    public Integer getMaxSegments() {
        return maxSegments;
    }

    public void setMaxSegments(Integer maxSegments) {
        this.maxSegments = maxSegments;
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

    /** {@code irisx.sms.twilio.*}: the account. */
    public static class Twilio extends TwilioAccountProperties {
    }
}
