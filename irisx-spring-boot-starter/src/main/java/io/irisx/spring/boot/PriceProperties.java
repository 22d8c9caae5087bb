package io.irisx.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code irisx.prices.*} properties: the runtime's default prices ({@code Irisx.Builder#prices}), IRISX's own
 * defaults (in US dollars) for whatever is not set. Bound once at startup and then only read; not thread-safe while
 * being bound.
 *
 * <pre>
 * irisx.prices.currency=EUR
 * irisx.prices.unit-prices.email=0.00008
 * irisx.prices.unit-prices.sms-segment=0.0072
 * </pre>
 */
public class PriceProperties {

    /** The ISO 4217 code of every price and cost, such as EUR (USD when unset); it does not convert the prices. */
    private String currency;

    /**
     * The price of one unit, in the currency's major unit, by usage unit (email, sms-segment, mms, call-second,
     * tts-character, webhook-delivery): email at 0.09 per 1,000 is 0.00009.
     */
    private Map<String, String> unitPrices = new LinkedHashMap<>();

    public String getCurrency() {
        return currency;
    }

    public void setCurrency(String currency) {
        this.currency = currency;
    }

    public Map<String, String> getUnitPrices() {
        return unitPrices;
    }

    public void setUnitPrices(Map<String, String> unitPrices) {
        this.unitPrices = unitPrices;
    }
}
