package io.irisx.messaging;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A host's class path for the tests: this module's test class path less the jars whose paths hold any of the given
 * fragments (e.g. {@code /com/sendgrid/} for the SendGrid SDK and its HTTP client), in a class loader of its own
 * whose parent has only the JDK. Code of irisx-messaging runs in it by name, through reflection.
 */
final class HostWithoutJars implements AutoCloseable {

    private final URLClassLoader loader;
    private final List<URL> dropped;

    /** A host class path without the jars whose paths hold any of {@code fragments}; none of them may match nothing. */
    HostWithoutJars(String... fragments) {
        List<Path> entries = Arrays.stream(testClassPath().split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).map(Path::of).toList();
        for (String fragment : fragments) {
            if (entries.stream().noneMatch(entry -> holds(entry, fragment))) {
                throw new IllegalArgumentException("no jar on the test class path holds " + fragment + ": " + entries);
            }
        }
        this.dropped = entries.stream().filter(entry -> Arrays.stream(fragments).anyMatch(f -> holds(entry, f)))
                .map(HostWithoutJars::url).toList();
        URL[] kept = entries.stream().filter(entry -> Arrays.stream(fragments).noneMatch(f -> holds(entry, f)))
                .map(HostWithoutJars::url).toArray(URL[]::new);
        this.loader = new URLClassLoader("host-without-" + String.join("+", fragments), kept,
                ClassLoader.getPlatformClassLoader());
    }

    /** The jars left out. */
    List<URL> dropped() {
        return dropped;
    }

    /** Class {@code className} as this class path has it. */
    Class<?> load(String className) throws ClassNotFoundException {
        return Class.forName(className, false, loader);
    }

    /**
     * Calls static method {@code method} of class {@code className} (loaded in this class path) with {@code args},
     * whose types are {@code types}, and returns its result or throws what it threw.
     */
    Object call(String className, String method, Class<?>[] types, Object... args) throws Throwable {
        Class<?> type = load(className);
        return inContext(() -> type.getMethod(method, types).invoke(null, args));
    }

    /** Calls instance method {@code method}, without arguments, on {@code target} (an object of this class path). */
    Object call(Object target, String method) throws Throwable {
        return inContext(() -> target.getClass().getMethod(method).invoke(target));
    }

    /** An action run by reflection; what it throws is unwrapped. */
    private interface Reflective {
        Object run() throws ReflectiveOperationException;
    }

    /** Runs {@code action} with this class path as the thread's context loader, which Jakarta Mail's lookups use. */
    private Object inContext(Reflective action) throws Throwable {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.run();
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String testClassPath() {
        // Surefire runs the tests from a manifest-only jar: the real class path is in its own property.
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null ? surefire : System.getProperty("java.class.path");
    }

    private static boolean holds(Path entry, String fragment) {
        return entry.toUri().getPath().contains(fragment);
    }

    private static URL url(Path entry) {
        try {
            return entry.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a class path entry: " + entry, e);
        }
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
