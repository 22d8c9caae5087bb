package io.irisx.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * The optional SDKs a module calls (provider SDKs, payment SDKs), and the check, when something that calls one is
 * built, that it is on the class path; immutable and thread-safe.
 *
 * <p>Without the check the JVM would throw a bare {@code NoClassDefFoundError} at the first call, naming a class of
 * the SDK or of a jar it brings and neither what needed it nor the artifact to add — after the message was stored and
 * queued. The coordinates and versions come from the module's build: a properties resource beside the module's class
 * ({@code artifactId=groupId:artifactId:version}, filtered from irisx-bom's properties).
 */
public final class OptionalSdks {

    private final Class<?> owner;
    private final String resource;
    private final Properties coordinates;

    private OptionalSdks(Class<?> owner, String resource, Properties coordinates) {
        this.owner = owner;
        this.resource = resource;
        this.coordinates = coordinates;
    }

    /**
     * The SDKs listed in {@code resource}, read beside {@code owner} in its jar; classes are then looked up with
     * {@code owner}'s class loader.
     *
     * @throws IllegalStateException when the resource is missing from the jar
     */
    public static OptionalSdks of(Class<?> owner, String resource) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(resource, "resource");
        Properties sdks = new Properties();
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing beside " + owner.getName());
            }
            sdks.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource + " beside " + owner.getName(), e);
        }
        return new OptionalSdks(owner, resource, sdks);
    }

    /**
     * Checks that each of {@code classes}, which {@code user} (such as {@code "sendgrid provider"}) needs from SDK
     * {@code artifactId} or the jars it brings, can be loaded.
     *
     * @throws IllegalStateException naming the user, the missing class, and the SDK's Maven coordinates with the
     *     version IRISX is tested with, when one cannot
     */
    public void require(String user, String artifactId, List<String> classes) {
        Objects.requireNonNull(user, "user");
        String sdk = coordinates(artifactId);
        for (String name : classes) {
            try {
                Class.forName(name, false, owner.getClassLoader());
            } catch (ClassNotFoundException | NoClassDefFoundError e) {
                // A NoClassDefFoundError here is the class found but a type it extends missing: the same absent jar.
                String artifact = sdk.substring(0, sdk.lastIndexOf(':'));
                String version = sdk.substring(sdk.lastIndexOf(':') + 1);
                throw new IllegalStateException("the " + user + " needs " + artifact + " on the class path, and "
                        + name + " (of that SDK or a jar it brings) is missing: add the dependency " + artifact
                        + " (IRISX is built and tested with version " + version + ", which importing"
                        + " io.irisx:irisx-bom selects)", e);
            }
        }
    }

    /** {@code groupId:artifactId:version} of SDK {@code artifactId}, as IRISX is built and tested with it. */
    public String coordinates(String artifactId) {
        Objects.requireNonNull(artifactId, "artifactId");
        String found = coordinates.getProperty(artifactId);
        if (found == null) {
            throw new IllegalArgumentException("artifactId must be one of the optional SDKs "
                    + coordinates.stringPropertyNames() + " listed in " + resource + ", was " + artifactId);
        }
        return found;
    }
}
