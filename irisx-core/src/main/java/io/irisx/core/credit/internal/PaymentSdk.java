package io.irisx.core.credit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * The check, when a payment provider is built, that the optional SDK it calls is on the class path; thread-safe
 * (stateless but for the coordinates read once). Not API.
 *
 * <p>The payment SDKs are optional dependencies of irisx-core, so a host may lack one. Without this check the JVM
 * would throw a bare {@code NoClassDefFoundError} at the first top-up or webhook, naming a class of the SDK and
 * neither the provider nor the artifact to add. The coordinates and versions come from the build
 * ({@code payment-sdks.properties}, filtered from irisx-bom's properties).
 */
public final class PaymentSdk {

    private static final String COORDINATES = "payment-sdks.properties";
    private static final Properties SDKS = load();

    private PaymentSdk() {
    }

    /**
     * Checks that each of {@code classes}, which payment provider {@code provider} needs from SDK {@code artifactId}
     * or the jars it brings, can be loaded.
     *
     * @throws IllegalStateException naming the provider, the missing class, and the SDK's Maven coordinates with
     *     the version IRISX is tested with, when one cannot
     */
    public static void require(String provider, String artifactId, List<String> classes) {
        Objects.requireNonNull(provider, "provider");
        String coordinates = coordinates(artifactId);
        for (String name : classes) {
            try {
                Class.forName(name, false, PaymentSdk.class.getClassLoader());
            } catch (ClassNotFoundException | NoClassDefFoundError e) {
                // A NoClassDefFoundError here is the class found but a type it extends missing: the same absent jar.
                throw new IllegalStateException(missing(provider, coordinates, name), e);
            }
        }
    }

    /** {@code groupId:artifactId:version} of SDK {@code artifactId}, as IRISX is built and tested with it. */
    public static String coordinates(String artifactId) {
        Objects.requireNonNull(artifactId, "artifactId");
        String coordinates = SDKS.getProperty(artifactId);
        if (coordinates == null) {
            throw new IllegalArgumentException("artifactId must be one of the optional payment SDKs "
                    + SDKS.stringPropertyNames() + ", was " + artifactId);
        }
        return coordinates;
    }

    private static String missing(String provider, String coordinates, String className) {
        String artifact = coordinates.substring(0, coordinates.lastIndexOf(':'));
        String version = coordinates.substring(coordinates.lastIndexOf(':') + 1);
        return "the " + provider + " payment provider needs " + artifact + " on the class path, and " + className
                + " (of that SDK or a jar it brings) is missing: add the dependency " + artifact + " (IRISX is "
                + "built and tested with version " + version + ", which importing io.irisx:irisx-bom selects)";
    }

    private static Properties load() {
        Properties sdks = new Properties();
        try (InputStream in = PaymentSdk.class.getResourceAsStream(COORDINATES)) {
            if (in == null) {
                throw new IllegalStateException(COORDINATES + " is missing from irisx-core's jar");
            }
            sdks.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + COORDINATES + " from irisx-core's jar", e);
        }
        return sdks;
    }
}
