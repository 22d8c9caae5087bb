package io.irisx.spring.boot;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the starter's context tests share: the runner over the auto-configurations, keys, and failures. */
final class Starter {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Starter() {
    }

    /** A runner over the starter's auto-configurations, its embedded database under {@code data}. */
    static ApplicationContextRunner runner(Path data) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(IrisxAutoConfiguration.class,
                        IrisxHealthContributorAutoConfiguration.class))
                .withPropertyValues("irisx.data-directory=" + data);
    }

    /** A sealing key in the text format, under {@code keyId}, made now. */
    static String sealingKey(String keyId) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return keyId + "=" + Base64.getEncoder().encodeToString(key);
    }

    /** The property failure that stopped {@code context} from starting. */
    static IrisxPropertyException propertyFailure(AssertableApplicationContext context) {
        Throwable failure = context.getStartupFailure();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IrisxPropertyException property) {
                return property;
            }
        }
        throw new AssertionError("the context did not fail on an irisx property", failure);
    }
}
