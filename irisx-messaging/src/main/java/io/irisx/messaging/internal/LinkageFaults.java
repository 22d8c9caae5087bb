package io.irisx.messaging.internal;

import java.net.URL;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what a {@link LinkageError} from a provider SDK means for the host: the classes it names, the jar each was
 * loaded from or that it is absent, and the artifact to add or align. Thread-safe; not API.
 */
final class LinkageFaults {

    /** A fully qualified class name, dotted or slashed, as the JVM writes them in linkage errors. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*[./]){2,}[A-Z][A-Za-z0-9_$]*");

    /** The artifacts that bring the packages a provider SDK most often misses, by package prefix. */
    private static final List<Map.Entry<String, String>> ARTIFACTS = List.of(
            Map.entry("com.fasterxml.jackson.databind.", "com.fasterxml.jackson.core:jackson-databind"),
            Map.entry("com.fasterxml.jackson.annotation.", "com.fasterxml.jackson.core:jackson-annotations"),
            Map.entry("com.fasterxml.jackson.core.", "com.fasterxml.jackson.core:jackson-core"),
            Map.entry("com.fasterxml.jackson.datatype.jsr310.", "com.fasterxml.jackson.datatype:jackson-datatype-jsr310"),
            Map.entry("org.apache.http.", "org.apache.httpcomponents:httpclient (with httpcore)"),
            Map.entry("com.twilio.", "com.twilio.sdk:twilio"),
            Map.entry("com.sendgrid.", "com.sendgrid:sendgrid-java"),
            Map.entry("software.amazon.awssdk.", "software.amazon.awssdk:sesv2 with url-connection-client"),
            Map.entry("jakarta.mail.", "org.eclipse.angus:angus-mail"),
            Map.entry("org.eclipse.angus.", "org.eclipse.angus:angus-mail"),
            Map.entry("okhttp3.", "com.squareup.okhttp3:okhttp-jvm"),
            Map.entry("kotlin.", "org.jetbrains.kotlin:kotlin-stdlib"));

    private LinkageFaults() {
    }

    /**
     * {@code error} and, for each class it names, where that class came from: {@code loaded from <jar>} or
     * {@code absent}, with the artifact that brings it where known.
     */
    static String describe(LinkageError error, ClassLoader loader) {
        StringBuilder text = new StringBuilder(error.toString());
        Throwable cause = error.getCause();
        if (cause != null) {
            text.append(" caused by ").append(cause);
        }
        Set<String> classes = new LinkedHashSet<>();
        Matcher matcher = CLASS_NAME.matcher(text);
        while (matcher.find() && classes.size() < 4) {
            classes.add(matcher.group().replace('/', '.'));
        }
        classes.remove(error.getClass().getName());
        if (cause != null) {
            classes.remove(cause.getClass().getName());
        }
        for (String name : classes) {
            text.append("; ").append(name).append(' ').append(origin(name, loader));
        }
        return text.append("; align the provider SDK's dependencies with the versions IRISX is built with by importing"
                + " io.irisx:irisx-bom in dependencyManagement").toString();
    }

    private static String origin(String className, ClassLoader loader) {
        String artifact = ARTIFACTS.stream().filter(entry -> className.startsWith(entry.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        try {
            Class<?> type = Class.forName(className, false, loader);
            CodeSource source = type.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            String jar = location == null ? "the JDK" : location.getPath().replaceAll(".*/(?=[^/]+/?$)", "");
            return "is loaded from " + jar + (artifact == null ? "" : " (" + artifact + ")");
        } catch (ClassNotFoundException | LinkageError e) {
            return "is absent" + (artifact == null ? "" : ": add " + artifact);
        }
    }
}
