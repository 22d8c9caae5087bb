package io.irisx.core.credit.internal;

import io.irisx.core.spi.OptionalSdks;
import java.util.List;

/**
 * The check, when a payment provider is built, that the optional SDK it calls is on the class path (listed in {@code payment-sdks.properties}); thread-safe. Not API.
 */
public final class PaymentSdk {

    private static final OptionalSdks SDKS = OptionalSdks.of(PaymentSdk.class, "payment-sdks.properties");

    private PaymentSdk() {
    }

    /**
     * Checks that each of {@code classes}, which payment provider {@code provider} needs from SDK {@code artifactId} or the
     * jars it brings, can be loaded.
     *
     * @throws IllegalStateException naming the provider, the missing class, and the SDK's Maven coordinates with the
     *     version IRISX is tested with, when one cannot
     */
    public static void require(String provider, String artifactId, List<String> classes) {
        SDKS.require(provider + " payment provider", artifactId, classes);
    }

    /** {@code groupId:artifactId:version} of SDK {@code artifactId}, as IRISX is built and tested with it. */
    public static String coordinates(String artifactId) {
        return SDKS.coordinates(artifactId);
    }
}
