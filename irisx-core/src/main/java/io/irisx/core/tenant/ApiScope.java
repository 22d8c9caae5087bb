package io.irisx.core.tenant;

import java.util.Arrays;
import java.util.Optional;

/** What an API key allows its holder to do in the host's API. */
public enum ApiScope {
    /** Send email. */
    EMAIL_SEND("email:send"),
    /** Read emails, their history and statistics. */
    EMAIL_READ("email:read"),
    /** Send SMS and MMS. */
    SMS_SEND("sms:send"),
    /** Read messages and opt-outs. */
    SMS_READ("sms:read"),
    /** Place, redirect and hang up calls. */
    CALLS_WRITE("calls:write"),
    /** Read calls and recordings. */
    CALLS_READ("calls:read"),
    /** Manage webhook endpoints and replay deliveries. */
    WEBHOOKS_MANAGE("webhooks:manage"),
    /** Read usage and costs. */
    USAGE_READ("usage:read"),
    /** Manage the balance: top-ups, refunds. */
    BILLING_MANAGE("billing:manage");

    private final String wireName;

    ApiScope(String wireName) {
        this.wireName = wireName;
    }

    /** The scope's name in the host's API and in storage, e.g. {@code email:send}. */
    public String wireName() {
        return wireName;
    }

    /** The scope named {@code wireName}, if there is one. */
    public static Optional<ApiScope> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(scope -> scope.wireName.equals(wireName)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
