package io.irisx.voice.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * The check, when a voice provider is built, that the optional SDK it calls is on the class path; thread-safe
 * (stateless but for the coordinates read once). Not API.
 *
 * <p>The SDKs are optional dependencies of irisx-voice, so a host may lack one. Without this check the JVM would throw
 * a bare {@code NoClassDefFoundError} at the first call placed, naming neither the provider nor the artifact to add,
 * after the call was stored and queued. The coordinates and versions come from the build
 * ({@code provider-sdks.properties}, filtered from irisx-bom's properties).
 */
public final class VoiceSdk {

    private static final String COORDINATES = "provider-sdks.properties";
    private static final Properties SDKS = load();

    private VoiceSdk() {
    }

    /**
     * Checks that each of {@code classes}, which provider {@code provider} needs from SDK {@code artifactId} or the
     * jars it brings, can be loaded.
     *
     * @throws IllegalStateException naming the provider, the missing class, and the SDK's Maven coordinates with the
     *     version IRISX is tested with, when one cannot
     */
    public static void require(String provider, String artifactId, List<String> classes) {
        Objects.requireNonNull(provider, "provider");
        String coordinates = coordinates(artifactId);
        for (String name : classes) {
            try {
                Class.forName(name, false, VoiceSdk.class.getClassLoader());
            } catch (ClassNotFoundException | NoClassDefFoundError e) {
                // A NoClassDefFoundError here is the class found but a type it extends missing: the same absent jar.
                String artifact = coordinates.substring(0, coordinates.lastIndexOf(':'));
                String version = coordinates.substring(coordinates.lastIndexOf(':') + 1);
                throw new IllegalStateException("the " + provider + " voice provider needs " + artifact + " on the"
                        + " class path, and " + name + " (of that SDK or a jar it brings) is missing: add the"
                        + " dependency " + artifact + " (IRISX is built and tested with version " + version
                        + ", which importing io.irisx:irisx-bom selects)", e);
            }
        }
    }

    /** {@code groupId:artifactId:version} of SDK {@code artifactId}, as IRISX is built and tested with it. */
    public static String coordinates(String artifactId) {
        Objects.requireNonNull(artifactId, "artifactId");
        String coordinates = SDKS.getProperty(artifactId);
        if (coordinates == null) {
            throw new IllegalArgumentException("artifactId must be one of the optional voice provider SDKs "
                    + SDKS.stringPropertyNames() + ", was " + artifactId);
        }
        return coordinates;
    }

    private static Properties load() {
        Properties sdks = new Properties();
        try (InputStream in = VoiceSdk.class.getResourceAsStream(COORDINATES)) {
            if (in == null) {
                throw new IllegalStateException(COORDINATES + " is missing from irisx-voice's jar");
            }
            sdks.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + COORDINATES + " from irisx-voice's jar", e);
        }
        return sdks;
    }
}
