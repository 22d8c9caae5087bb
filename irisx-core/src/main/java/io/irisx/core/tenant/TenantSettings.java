package io.irisx.core.tenant;

import io.irisx.core.Channel;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.phone.PhoneNumber;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.ratelimit.RateLimits.Stage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A registered tenant's settings, stored in the runtime's database ({@link Tenants#settings},
 * {@link Tenants#updateSettings}); immutable and thread-safe. Every field is optional but the billing mode: an unset
 * field leaves the runtime's and the modules' own configuration in force.
 *
 * <ul>
 *   <li>{@linkplain Builder#emailFrom default email sender}: the {@code From} of the tenant's emails sent without
 *       one;</li>
 *   <li>{@linkplain Builder#smsFrom default SMS sender}: the number (or alphanumeric sender id) of its messages sent
 *       without one;</li>
 *   <li>{@linkplain Builder#providerChain provider chains}: per channel, the providers its live sends go through, in
 *       order, by name (a subset of the providers registered on the channel's module); they win over the module's
 *       {@code chain(…)} settings;</li>
 *   <li>{@linkplain Builder#sendLimit rate-limit overrides}: per channel, its send and delivery limits; they win over
 *       the runtime's {@code RateLimits}, for that tenant and channel and stage;</li>
 *   <li>{@linkplain Builder#billingMode billing mode}: {@link BillingMode#PREPAID} makes each send reserve its price
 *       from the tenant's credit, as {@code tenant.credit().setBillingMode} does (they are one setting).</li>
 * </ul>
 *
 * <pre>{@code
 * TenantSettings settings = irisx.tenants().settings(acme).toBuilder()
 *         .emailFrom("hello@acme.example", "Acme")
 *         .smsFrom("+14155550100")
 *         .providerChain(Channel.EMAIL, List.of("postmark", "sendgrid"))
 *         .sendLimit(Channel.SMS, Limit.perSecond(5))
 *         .billingMode(BillingMode.PREPAID)
 *         .build();
 * irisx.tenants().updateSettings(acme, settings);
 * }</pre>
 */
public final class TenantSettings {

    /** The longest provider chain. */
    public static final int MAX_CHAIN = 16;

    private static final TenantSettings DEFAULTS = builder().build();
    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern ALPHANUMERIC_SENDER = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\",;()\\[\\]\\\\]{1,64}@[A-Za-z0-9.-]{1,253}");

    private final String emailFrom;
    private final String emailFromName;
    private final String smsFrom;
    private final Map<Channel, List<String>> providerChains;
    private final Map<Stage, Map<Channel, Limit>> limits;
    private final BillingMode billingMode;

    private TenantSettings(Builder b) {
        this.emailFrom = b.emailFrom;
        this.emailFromName = b.emailFromName;
        this.smsFrom = b.smsFrom;
        this.providerChains = Map.copyOf(b.providerChains);
        Map<Stage, Map<Channel, Limit>> copied = new EnumMap<>(Stage.class);
        b.limits.forEach((stage, byChannel) -> copied.put(stage, Map.copyOf(byChannel)));
        this.limits = Map.copyOf(copied);
        this.billingMode = b.billingMode;
    }

    /** No settings: the runtime's and modules' configuration, POSTPAID. */
    public static TenantSettings defaults() {
        return DEFAULTS;
    }

    /** A builder with nothing set, POSTPAID. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.emailFrom = emailFrom;
        b.emailFromName = emailFromName;
        b.smsFrom = smsFrom;
        b.providerChains.putAll(providerChains);
        limits.forEach((stage, byChannel) -> b.limits.computeIfAbsent(stage, s -> new EnumMap<>(Channel.class))
                .putAll(byChannel));
        b.billingMode = billingMode;
        return b;
    }

    /** The address of the tenant's emails sent without a {@code From}, if set. */
    public Optional<String> emailFrom() {
        return Optional.ofNullable(emailFrom);
    }

    /** The display name beside {@link #emailFrom()}; empty when none. */
    public String emailFromName() {
        return emailFromName;
    }

    /** The sender (E.164 number or alphanumeric sender id) of the tenant's SMS sent without one, if set. */
    public Optional<String> smsFrom() {
        return Optional.ofNullable(smsFrom);
    }

    /** The providers, by name and in order, that the tenant's live sends on {@code channel} go through, if set. */
    public Optional<List<String>> providerChain(Channel channel) {
        return Optional.ofNullable(providerChains.get(Objects.requireNonNull(channel, "channel")));
    }

    /** Every channel's provider chain that is set. */
    public Map<Channel, List<String>> providerChains() {
        return providerChains;
    }

    /** The tenant's own limit on {@code channel} at {@code stage}, if set ({@link Limit#unlimited()} lifts it). */
    public Optional<Limit> limit(Stage stage, Channel channel) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(channel, "channel");
        return Optional.ofNullable(limits.getOrDefault(stage, Map.of()).get(channel));
    }

    /** Every limit that is set, by stage and channel. */
    public Map<Stage, Map<Channel, Limit>> limits() {
        return limits;
    }

    /** How the tenant pays. */
    public BillingMode billingMode() {
        return billingMode;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TenantSettings that && Objects.equals(emailFrom, that.emailFrom)
                && emailFromName.equals(that.emailFromName) && Objects.equals(smsFrom, that.smsFrom)
                && providerChains.equals(that.providerChains) && limits.equals(that.limits)
                && billingMode == that.billingMode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(emailFrom, emailFromName, smsFrom, providerChains, limits, billingMode);
    }

    @Override
    public String toString() {
        // Sender addresses and numbers are the tenant's, not secrets, but are left out of logs all the same.
        return "TenantSettings[chains " + providerChains + ", limits " + limits + ", " + billingMode
                + (emailFrom != null ? ", email sender set" : "") + (smsFrom != null ? ", SMS sender set" : "") + "]";
    }

    /**
     * Builds {@link TenantSettings}; each setter checks its value at once and throws
     * {@link IrisxValidationException} naming the field and the value. Not thread-safe.
     */
    public static final class Builder {
        private String emailFrom;
        private String emailFromName = "";
        private String smsFrom;
        private final Map<Channel, List<String>> providerChains = new EnumMap<>(Channel.class);
        private final Map<Stage, Map<Channel, Limit>> limits = new EnumMap<>(Stage.class);
        private BillingMode billingMode = BillingMode.POSTPAID;

        private Builder() {
        }

        /** The address of the tenant's emails sent without a {@code From}: {@code local@domain}, 254 at most. */
        public Builder emailFrom(String address) {
            return emailFrom(address, "");
        }

        /**
         * The address and display name of the tenant's emails sent without a {@code From}.
         *
         * @param address {@code local@domain}: at most 254 characters, no spaces, controls, {@code <>",;()[]\}
         * @param name at most 200 characters, one line; empty for none
         */
        public Builder emailFrom(String address, String name) {
            Objects.requireNonNull(address, "emailFrom");
            Objects.requireNonNull(name, "emailFromName");
            if (address.length() > 254 || !EMAIL.matcher(address).matches() || address.endsWith(".")
                    || !address.substring(address.indexOf('@') + 1).contains(".")) {
                throw new IrisxValidationException("emailFrom", address, "must be an email address such as"
                        + " hello@acme.example");
            }
            if (name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
                throw new IrisxValidationException("emailFromName", name.length() > 200 ? name.substring(0, 40)
                        + "… (" + name.length() + " characters)" : name, "must be one line of at most 200 characters");
            }
            this.emailFrom = address;
            this.emailFromName = name;
            return this;
        }

        /** Clears the default email sender. */
        public Builder noEmailFrom() {
            this.emailFrom = null;
            this.emailFromName = "";
            return this;
        }

        /**
         * The sender of the tenant's SMS sent without one: a number in E.164 form that can send SMS
         * ({@code +14155550100}), or an alphanumeric sender id (1-11 letters, digits and spaces, one letter at least).
         */
        public Builder smsFrom(String sender) {
            Objects.requireNonNull(sender, "smsFrom");
            if (ALPHANUMERIC_SENDER.matcher(sender).matches()) {
                this.smsFrom = sender;
                return this;
            }
            if (!sender.startsWith("+")) {
                throw new IrisxValidationException("smsFrom", sender, "must be a number in E.164 form"
                        + " (+14155550100) or an alphanumeric sender id of 1-11 letters, digits and spaces");
            }
            this.smsFrom = PhoneNumber.parseSms("smsFrom", sender, "US").value();
            return this;
        }

        /** Clears the default SMS sender. */
        public Builder noSmsFrom() {
            this.smsFrom = null;
            return this;
        }

        /**
         * The providers the tenant's live sends on {@code channel} go through, by name, in order: 1 to
         * {@value #MAX_CHAIN} distinct names of lower-case letters, digits, {@code . _ -}. Each must be registered on
         * the channel's module: {@link Tenants#updateSettings} refuses a name the module installed in this process
         * does not know.
         */
        public Builder providerChain(Channel channel, List<String> providerNames) {
            Objects.requireNonNull(channel, "channel");
            String field = "providerChain." + channel.name().toLowerCase(java.util.Locale.ROOT);
            Objects.requireNonNull(providerNames, field);
            if (providerNames.isEmpty() || providerNames.size() > MAX_CHAIN) {
                throw new IrisxValidationException(field, providerNames, "must name 1 to " + MAX_CHAIN
                        + " providers");
            }
            Set<String> seen = new HashSet<>();
            for (String name : providerNames) {
                if (name == null || !PROVIDER_NAME.matcher(name).matches()) {
                    throw new IrisxValidationException(field, providerNames, "names '" + name + "', which is not a"
                            + " provider name (1-64 lower-case letters, digits, '.', '_' or '-')");
                }
                if (!seen.add(name)) {
                    throw new IrisxValidationException(field, providerNames, "names '" + name + "' twice");
                }
            }
            providerChains.put(channel, List.copyOf(new ArrayList<>(providerNames)));
            return this;
        }

        /** Clears {@code channel}'s provider chain: the module's own applies. */
        public Builder noProviderChain(Channel channel) {
            providerChains.remove(Objects.requireNonNull(channel, "channel"));
            return this;
        }

        /** The tenant's own limit on accepted sends on {@code channel}; {@link Limit#unlimited()} lifts it. */
        public Builder sendLimit(Channel channel, Limit limit) {
            return limit(Stage.SEND, channel, limit);
        }

        /** The tenant's own limit on messages handed to {@code channel}'s provider; unlimited lifts it. */
        public Builder deliveryLimit(Channel channel, Limit limit) {
            return limit(Stage.DELIVERY, channel, limit);
        }

        /** The tenant's own limit on {@code channel} at {@code stage}. */
        public Builder limit(Stage stage, Channel channel, Limit limit) {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(limit, "limit");
            limits.computeIfAbsent(stage, s -> new EnumMap<>(Channel.class)).put(channel, limit);
            return this;
        }

        /** Clears the tenant's own limit on {@code channel} at {@code stage}: the runtime's limits apply. */
        public Builder noLimit(Stage stage, Channel channel) {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(channel, "channel");
            Map<Channel, Limit> byChannel = limits.get(stage);
            if (byChannel != null) {
                byChannel.remove(channel);
                if (byChannel.isEmpty()) {
                    limits.remove(stage);
                }
            }
            return this;
        }

        /** How the tenant pays (default {@link BillingMode#POSTPAID}). */
        public Builder billingMode(BillingMode billingMode) {
            this.billingMode = Objects.requireNonNull(billingMode, "billingMode");
            return this;
        }

        /** The settings; the builder is left as it is. */
        public TenantSettings build() {
            return new TenantSettings(this);
        }
    }
}
