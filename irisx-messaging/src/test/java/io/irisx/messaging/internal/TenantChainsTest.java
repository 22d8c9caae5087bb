package io.irisx.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.store.Database;
import io.irisx.core.tenant.TenantSettings;
import io.irisx.core.tenant.Tenants;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * The stored provider chains a sender keeps, on each database: read once and kept {@value TenantChains#CACHE_SECONDS}
 * seconds by the runtime's clock, so another process's change is seen when what is kept expires, and at once after
 * {@link TenantChains#forget} (what this process's own changes call).
 */
@OnEachDialect
class TenantChainsTest {

    private static final TenantId ACME = TenantId.of("acme");

    @Parameter
    Database.Dialect dialect;
    private MessagingFixture fixture;
    /** The tenants as another process on the same database sees them: it tells this one nothing. */
    private Tenants otherProcess;
    private TenantChains chains;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.of(dialect));
        fixture.irisx.tenants().create(ACME, "Acme", Map.of());
        otherProcess = new Tenants(fixture.database, fixture.clock, List::of);
        chains = TenantChains.of(fixture.database, Channel.EMAIL, fixture.clock);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void storeChain(List<String> chain) {
        otherProcess.updateSettings(ACME, TenantSettings.builder().providerChain(Channel.EMAIL, chain).build());
    }

    @Test
    void another_processs_change_is_seen_once_what_is_kept_expires() {
        assertThat(chains.stored(ACME)).isEmpty();
        storeChain(List.of("postmark", "resend"));

        assertThat(chains.stored(ACME)).as("kept: no chain").isEmpty();
        fixture.clock.advance(Duration.ofSeconds(TenantChains.CACHE_SECONDS).minusMillis(1));
        assertThat(chains.stored(ACME)).as("kept until the cache time is over").isEmpty();
        fixture.clock.advance(Duration.ofMillis(1));
        assertThat(chains.stored(ACME)).contains(List.of("postmark", "resend"));

        storeChain(List.of("resend"));
        assertThat(chains.stored(ACME)).contains(List.of("postmark", "resend"));
        fixture.clock.advance(Duration.ofSeconds(TenantChains.CACHE_SECONDS));
        assertThat(chains.stored(ACME)).contains(List.of("resend"));
    }

    @Test
    void a_forgotten_tenants_chain_is_read_again_at_once() {
        storeChain(List.of("postmark"));
        assertThat(chains.stored(ACME)).contains(List.of("postmark"));
        storeChain(List.of("resend"));

        chains.forget(ACME);

        assertThat(chains.stored(ACME)).contains(List.of("resend"));
        assertThat(chains.stored(TenantId.of("globex"))).isEqualTo(Optional.empty());
    }

    @Test
    void each_channel_keeps_its_own_chain() {
        otherProcess.updateSettings(ACME, TenantSettings.builder().providerChain(Channel.EMAIL, List.of("postmark"))
                .providerChain(Channel.SMS, List.of("twilio")).build());

        assertThat(chains.stored(ACME)).contains(List.of("postmark"));
        assertThat(TenantChains.of(fixture.database, Channel.SMS, fixture.clock).stored(ACME))
                .contains(List.of("twilio"));
    }
}
