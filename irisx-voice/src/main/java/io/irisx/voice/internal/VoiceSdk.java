package io.irisx.voice.internal;

import io.irisx.core.spi.OptionalSdks;
import java.util.List;

/**
 * The check, when a voice provider is built, that the optional SDK it calls is on the class path (listed in irisx-voice's {@code provider-sdks.properties}); thread-safe. Not API.
 */
public final class VoiceSdk {

    private static final OptionalSdks SDKS = OptionalSdks.of(VoiceSdk.class, "provider-sdks.properties");

    private VoiceSdk() {
    }

    /**
     * Checks that each of {@code classes}, which voice provider {@code provider} needs from SDK {@code artifactId} or the
     * jars it brings, can be loaded.
     *
     * @throws IllegalStateException naming the provider, the missing class, and the SDK's Maven coordinates with the
     *     version IRISX is tested with, when one cannot
     */
    public static void require(String provider, String artifactId, List<String> classes) {
        SDKS.require(provider + " voice provider", artifactId, classes);
    }

    /** {@code groupId:artifactId:version} of SDK {@code artifactId}, as IRISX is built and tested with it. */
    public static String coordinates(String artifactId) {
        return SDKS.coordinates(artifactId);
    }
}
