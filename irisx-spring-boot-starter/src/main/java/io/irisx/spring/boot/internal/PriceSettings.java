package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.get;

import io.irisx.core.usage.PriceList;
import io.irisx.core.usage.UsageUnit;
import io.irisx.spring.boot.IrisxPropertyException;
import io.irisx.spring.boot.PriceProperties;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the runtime's {@link PriceList} from {@code irisx.prices.*}: IRISX's defaults, in the currency and with the
 * unit prices set; a value it cannot read, or that IRISX refuses, is reported under its property. Stateless and
 * thread-safe.
 */
public final class PriceSettings {

    private PriceSettings() {
    }

    /** Whether any price property is set (otherwise IRISX's defaults stand as they are). */
    public static boolean isSet(PriceProperties properties) {
        return Settings.hasText(properties.getCurrency()) || !properties.getUnitPrices().isEmpty();
    }

    /** The price list these properties describe. */
    public static PriceList create(PriceProperties properties) {
        PriceList prices = PriceList.defaults();
        if (Settings.hasText(properties.getCurrency())) {
            String code = properties.getCurrency().strip();
            Currency currency = get("irisx.prices.currency", () -> currency(code));
            PriceList base = prices;
            prices = get("irisx.prices.currency", () -> base.in(currency));
        }
        for (Map.Entry<String, String> entry : properties.getUnitPrices().entrySet()) {
            String property = "irisx.prices.unit-prices." + entry.getKey();
            UsageUnit unit = Settings.choice(property, entry.getKey(), UsageUnit.class);
            BigDecimal price = price(property, entry.getValue());
            PriceList base = prices;
            prices = get(property, () -> base.with(unit, price));
        }
        return prices;
    }

    private static Currency currency(String code) {
        try {
            return Currency.getInstance(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected an ISO 4217 currency code such as EUR, was '" + code + "'",
                    e);
        }
    }

    private static BigDecimal price(String property, String text) {
        try {
            return new BigDecimal(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw new IrisxPropertyException(property, "expected a decimal price of one unit such as 0.00009, was '"
                    + text + "'", e);
        }
    }
}
