package io.irisx.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code irisx.rate-limits.*} properties: each tenant's rate limits, per channel ({@code email}, {@code sms},
 * {@code webhooks}, {@code voice}) at each stage ({@code send}: sends accepted from the application;
 * {@code delivery}: messages handed to the providers), with overrides for some tenants. Each limit is written
 * {@code <tokens>/<period>} with an optional {@code ,burst=<tokens>}, the period a duration such as {@code 1s},
 * {@code 500ms}, {@code 1m}, {@code 1h} or {@code 1d} (or a unit alone, {@code 100/s}); or {@code unlimited}, for a
 * tenant the defaults should not hold back. Nothing is limited unless set. Bound once at startup and then only read;
 * not thread-safe while being bound.
 *
 * <pre>
 * irisx.rate-limits.send.email=100/1s,burst=200
 * irisx.rate-limits.delivery.sms=10/1s
 * irisx.rate-limits.tenants.bigco.send.email=1000/1s
 * </pre>
 */
public class RateLimitProperties {

    /** Every tenant's limit on sends accepted, by channel: such as email=100/1s,burst=200. */
    private Map<String, String> send = new LinkedHashMap<>();

    /** Every tenant's limit on messages handed to the channel's providers, by channel: such as sms=10/1s. */
    private Map<String, String> delivery = new LinkedHashMap<>();

    /** Limits of their own for some tenants, by tenant id: their send and delivery limits, by channel. */
    private Map<String, Stages> tenants = new LinkedHashMap<>();

    public Map<String, String> getSend() {
        return send;
    }

    public void setSend(Map<String, String> send) {
        this.send = send;
    }

    public Map<String, String> getDelivery() {
        return delivery;
    }

    public void setDelivery(Map<String, String> delivery) {
        this.delivery = delivery;
    }

    public Map<String, Stages> getTenants() {
        return tenants;
    }

    public void setTenants(Map<String, Stages> tenants) {
        this.tenants = tenants;
    }

    /** {@code irisx.rate-limits.tenants.<tenant>.*}: a tenant's own limits, which win over the defaults. */
    public static class Stages {

        /** The tenant's limit on sends accepted, by channel; unlimited for none. */
        private Map<String, String> send = new LinkedHashMap<>();

        /** The tenant's limit on messages handed to the channel's providers, by channel; unlimited for none. */
        private Map<String, String> delivery = new LinkedHashMap<>();

        public Map<String, String> getSend() {
            return send;
        }

        public void setSend(Map<String, String> send) {
            this.send = send;
        }

        public Map<String, String> getDelivery() {
            return delivery;
        }

        public void setDelivery(Map<String, String> delivery) {
            this.delivery = delivery;
        }
    }
}
