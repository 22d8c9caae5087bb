package io.irisx.messaging.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.TenantId;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.messaging.email.resend.ResendProvider;
import io.irisx.messaging.email.spi.EmailProvider;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an {@link EmailSender} is built from: providers, and chains that name them. How it sends, on each outbox, is
 * irisx-testkit's email sender kit.
 */
class EmailSenderBuilderTest {

    private static final TenantId GLOBEX = TenantId.of("globex");

    private final MessagingFixture fixture = new MessagingFixture(TestDatabases.h2());

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static EmailProvider resend() {
        return ResendProvider.builder("re_test_key").build();
    }

    @Test
    void a_sender_needs_providers_and_chains_that_name_them() {
        EmailSender.Builder empty = EmailSender.builder(fixture.emailStore);
        assertThatThrownBy(() -> empty.start(fixture.irisx.outbox()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one provider");
        EmailSender.Builder unknown = EmailSender.builder(fixture.emailStore).provider(resend())
                .chain(List.of("sendgrid"));
        assertThatThrownBy(() -> unknown.start(fixture.irisx.outbox()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'sendgrid'");
        assertThatThrownBy(() -> EmailSender.builder(fixture.emailStore).provider(resend()).provider(resend()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
    }

    @Test
    void a_tenant_with_its_own_chain_has_it_and_every_other_tenant_the_providers_in_their_order() {
        try (EmailSender sender = EmailSender.builder(fixture.emailStore).provider(resend())
                .provider(PostmarkProvider.builder("pm-test-token").build()).chain(GLOBEX, List.of("postmark"))
                .start(fixture.irisx.outbox())) {
            assertThat(sender.chain(GLOBEX)).containsExactly("postmark");
            assertThat(sender.chain(TenantId.of("acme"))).containsExactly("resend", "postmark");
        }
    }
}
