package io.irisx.voice.internal;

import io.irisx.voice.spi.VoiceProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The voice providers registered on a module, by name, in the order they were registered; immutable once built, and
 * thread-safe. Closing it closes each provider. Not API.
 */
public final class VoiceProviders implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VoiceProviders.class);

    private final Map<String, VoiceProvider> providers;

    /** The providers {@code providers}, in order. */
    public VoiceProviders(Map<String, VoiceProvider> providers) {
        this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    }

    /** Every provider, in the order they were registered. */
    public List<VoiceProvider> all() {
        return new ArrayList<>(providers.values());
    }

    /** The provider named {@code name}, if registered. */
    public Optional<VoiceProvider> named(String name) {
        return Optional.ofNullable(providers.get(Objects.requireNonNull(name, "name")));
    }

    /** Whether no provider is registered. */
    public boolean isEmpty() {
        return providers.isEmpty();
    }

    /** The providers' names, in order. */
    public List<String> names() {
        return List.copyOf(providers.keySet());
    }

    /** Closes each provider; one that fails to close is logged, and the others are closed still. */
    @Override
    public void close() {
        for (VoiceProvider provider : providers.values()) {
            try {
                provider.close();
            } catch (Exception e) {
                log.warn("irisx voice: provider {} failed to close: {}", provider.name(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "providers " + providers.keySet();
    }
}
