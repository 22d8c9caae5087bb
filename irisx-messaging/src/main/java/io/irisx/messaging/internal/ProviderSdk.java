package io.irisx.messaging.internal;

import io.irisx.core.spi.OptionalSdks;
import java.util.List;

/**
 * The check, when a provider is built, that the optional SDK it calls is on the class path (the SDKs are optional dependencies of irisx-messaging, listed in {@code provider-sdks.properties}); thread-safe. Not API.
 */
public final class ProviderSdk {

    private static final OptionalSdks SDKS = OptionalSdks.of(ProviderSdk.class, "provider-sdks.properties");

    private ProviderSdk() {
    }

    /**
     * Checks that each of {@code classes}, which provider {@code provider} needs from SDK {@code artifactId} or the
     * jars it brings, can be loaded.
     *
     * @throws IllegalStateException naming the provider, the missing class, and the SDK's Maven coordinates with the
     *     version IRISX is tested with, when one cannot
     */
    public static void require(String provider, String artifactId, List<String> classes) {
        SDKS.require(provider + " provider", artifactId, classes);
    }

    /** {@code groupId:artifactId:version} of SDK {@code artifactId}, as IRISX is built and tested with it. */
    public static String coordinates(String artifactId) {
        return SDKS.coordinates(artifactId);
    }
}
