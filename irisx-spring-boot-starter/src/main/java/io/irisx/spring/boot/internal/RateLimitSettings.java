package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.get;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.ratelimit.RateLimits;
import io.irisx.spring.boot.IrisxPropertyException;
import io.irisx.spring.boot.RateLimitProperties;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds {@link RateLimits} from {@code irisx.rate-limits.*}, each limit written
 * {@code <tokens>/<period>[,burst=<tokens>]} or {@code unlimited}; a value it cannot read, or that IRISX refuses, is
 * reported under its property. Stateless and thread-safe.
 */
public final class RateLimitSettings {

    private static final String PREFIX = "irisx.rate-limits.";
    private static final String FORMAT = "expected <tokens>/<period>[,burst=<tokens>] such as 100/1s,burst=200 "
            + "(the period in ms, s, m, h or d), or unlimited";
    private static final Pattern RATE = Pattern.compile("(\\d{1,18})\\s*/\\s*(\\d{0,18})\\s*(ms|s|m|h|d)");
    private static final Pattern BURST = Pattern.compile("burst\\s*=\\s*(\\d{1,18})");

    private RateLimitSettings() {
    }

    /** The limits these properties describe; {@link RateLimits#none()} when none is set. */
    public static RateLimits create(RateLimitProperties properties) {
        RateLimits.Builder builder = RateLimits.builder();
        stage(PREFIX + "send.", properties.getSend(), RateLimits.Stage.SEND, null, builder);
        stage(PREFIX + "delivery.", properties.getDelivery(), RateLimits.Stage.DELIVERY, null, builder);
        for (Map.Entry<String, RateLimitProperties.Stages> tenant : properties.getTenants().entrySet()) {
            String prefix = PREFIX + "tenants." + tenant.getKey() + ".";
            TenantId id = get(PREFIX + "tenants." + tenant.getKey(), () -> TenantId.of(tenant.getKey()));
            stage(prefix + "send.", tenant.getValue().getSend(), RateLimits.Stage.SEND, id, builder);
            stage(prefix + "delivery.", tenant.getValue().getDelivery(), RateLimits.Stage.DELIVERY, id, builder);
        }
        return builder.build();
    }

    private static void stage(String prefix, Map<String, String> limits, RateLimits.Stage stage, TenantId tenant,
            RateLimits.Builder builder) {
        for (Map.Entry<String, String> entry : limits.entrySet()) {
            String property = prefix + entry.getKey();
            Channel channel = Settings.choice(property, entry.getKey(), Channel.class);
            Limit limit = parse(property, entry.getValue());
            if (tenant == null) {
                if (limit.isUnlimited()) {
                    throw new IrisxPropertyException(property, "unlimited is for a tenant the defaults should not "
                            + "hold back (irisx.rate-limits.tenants.<tenant>.*); leave the default unset instead");
                }
                builder.limit(stage, channel, limit);
            } else {
                builder.limit(tenant, stage, channel, limit);
            }
        }
    }

    /** The limit {@code text} writes, such as {@code 100/1s,burst=200}; refused under {@code property}. */
    static Limit parse(String property, String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("unlimited")) {
            return Limit.unlimited();
        }
        String[] parts = value.split(",", -1);
        Matcher rate = RATE.matcher(parts[0].strip());
        if (!rate.matches() || parts.length > 2) {
            throw new IrisxPropertyException(property, FORMAT + ", was '" + text + "'");
        }
        Long burst = null;
        if (parts.length == 2) {
            Matcher burstPart = BURST.matcher(parts[1].strip());
            if (!burstPart.matches()) {
                throw new IrisxPropertyException(property, FORMAT + ", was '" + text + "'");
            }
            burst = Long.parseLong(burstPart.group(1));
        }
        long tokens = Long.parseLong(rate.group(1));
        long amount = rate.group(2).isEmpty() ? 1 : Long.parseLong(rate.group(2));
        Duration period = get(property, () -> period(amount, rate.group(3)));
        Long burstTokens = burst;
        return get(property, () -> {
            Limit limit = Limit.of(tokens, period);
            return burstTokens == null ? limit : limit.burst(burstTokens);
        });
    }

    private static Duration period(long amount, String unit) {
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("period must be between 1 ms and 31 days, was " + amount + unit, e);
        }
    }
}
