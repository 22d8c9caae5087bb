package io.irisx.spring.boot.internal;

import io.irisx.messaging.email.ses.SesProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Gives an SES provider the AWS SDK's default credentials chain (environment, profile, instance or task role). A
 * class of its own, so that the SDK's classes are loaded only for SES without access keys. Stateless and thread-safe.
 */
final class SesDefaultCredentials {

    private SesDefaultCredentials() {
    }

    static void apply(SesProvider.Builder builder) {
        builder.credentials(DefaultCredentialsProvider.builder().build());
    }
}
