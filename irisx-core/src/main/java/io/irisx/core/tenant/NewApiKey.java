package io.irisx.core.tenant;

import io.irisx.core.secret.Secret;
import java.util.Objects;

/**
 * A key just created: the only time its text is available. Hand {@link #text()} to the tenant once; IRISX keeps only
 * its hash. Immutable; {@link #toString()} never shows the text.
 *
 * @param key the key as stored
 * @param text the key's text, {@code irx_live_…} or {@code irx_test_…}
 */
public record NewApiKey(ApiKey key, Secret text) {

    /** Checks that nothing is missing. */
    public NewApiKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(text, "text");
    }
}
