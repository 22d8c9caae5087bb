package io.irisx.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.Irisx;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.testing.TestDatabases;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.InvalidFlowException;
import io.irisx.voice.spi.CallReceipt;
import io.irisx.voice.spi.OutgoingCall;
import io.irisx.voice.spi.ProviderCall;
import io.irisx.voice.spi.VoiceProvider;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The {@link VoiceModule}'s builder, its place in the runtime (installed once, its providers closed with the runtime),
 * and a tenant's deletion, which takes its calls along.
 */
class VoiceModuleTest {

    @Test
    void a_module_needs_a_provider_unless_it_only_queues_calls() {
        assertThatIllegalStateException().isThrownBy(() -> VoiceModule.builder().build())
                .withMessageContaining("queueOnly()");
        assertThat(VoiceModule.builder().queueOnly().build()).hasToString(
                "VoiceModule[queue-only, providers [], test providers [sandbox], flows []]");
    }

    @Test
    void test_providers_are_named_once_and_are_never_a_live_provider_too() {
        ScriptedProvider live = new ScriptedProvider("scripted");
        VoiceModule.Builder builder = VoiceModule.builder().provider(live).testProvider(new ScriptedProvider("scripted"));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.testProvider(new ScriptedProvider("scripted")))
                .withMessageContaining("test provider named 'scripted' is already registered");
        assertThatIllegalArgumentException().isThrownBy(() -> VoiceModule.builder().provider(live).testProvider(live))
                .withMessageContaining("separate instances");
        ScriptedProvider test = new ScriptedProvider("other");
        assertThatIllegalArgumentException().isThrownBy(() -> VoiceModule.builder().testProvider(test).provider(test))
                .withMessageContaining("separate instances");
        assertThat(builder.build()).hasToString(
                "VoiceModule[providers [scripted], test providers [scripted], flows []]");
    }

    @Test
    void names_regions_and_settings_are_checked_as_they_are_set() {
        VoiceModule.Builder builder = VoiceModule.builder().provider(new ScriptedProvider("scripted"))
                .flow(VoiceTest.SUPPORT);
        assertThatIllegalArgumentException().isThrownBy(() -> builder.provider(new ScriptedProvider("scripted")))
                .withMessageContaining("'scripted' is already registered");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.flow(Flow.builder("support").hangup("x").build()))
                .withMessageContaining("'support' is already registered");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.defaultRegion("gb"))
                .withMessageContaining("'gb'");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.concurrency(0));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.pollInterval(Duration.ZERO));
    }

    @Test
    void a_redirect_to_a_flow_the_module_lacks_is_refused_when_the_module_is_built() {
        Flow away = Flow.builder("away").say("bye", "Bye.").redirect("elsewhere", "nowhere").build();

        InvalidFlowException refused = catchThrowableOfType(InvalidFlowException.class,
                () -> VoiceModule.builder().queueOnly().flow(away).build());

        assertThat(refused.flow()).isEqualTo("away");
        assertThat(refused.step()).contains("elsewhere");
        assertThat(refused.field()).isEqualTo("steps[elsewhere].flow");
        assertThat(refused).hasMessageContaining("'nowhere' names no flow of the VoiceModule; its flows are [away]");
        assertThat(VoiceModule.builder().queueOnly().flow(away).flow(Flow.builder("nowhere").hangup("h").build())
                .build()).isNotNull();
    }

    @Test
    void a_module_is_installed_once_its_providers_close_with_the_runtime_and_tenant_deletion_takes_its_calls() {
        AtomicBoolean closed = new AtomicBoolean();
        VoiceProvider provider = new VoiceProvider() {
            @Override
            public String name() {
                return "closing";
            }

            @Override
            public CallReceipt place(OutgoingCall call) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CallReceipt hangup(ProviderCall call) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CallReceipt redirect(ProviderCall call, String flow) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        VoiceModule module = VoiceModule.builder().provider(provider).flow(VoiceTest.SUPPORT).queueOnly().build();
        VoiceFixture fixture = new VoiceFixture(TestDatabases.h2(), module);
        try {
            assertThatIllegalStateException().isThrownBy(() -> Irisx.builder()
                    .dataSource(fixture.database.dataSource()).sealingKeys(SealingKeys.generate("k2")).install(module)
                    .build()).withMessageContaining("installed already");
            fixture.irisx.tenants().create(TenantId.of("acme"), "Acme", Map.of());
            Voice acme = fixture.voice("acme");
            acme.call(CallRequest.builder().to("+447400123456").from("+447400654321").flow("support").build());
            fixture.voice("globex").call(CallRequest.builder().to("+447400123456").from("+447400654321")
                    .flow("support").build());

            // The work is done, as a worker would have done it; a tenant with work in flight is not deleted.
            fixture.database.inTransaction(connection -> connection.createStatement()
                    .executeUpdate("UPDATE irisx_outbox SET status = 'DONE' WHERE tenant_id = 'acme'"));
            fixture.irisx.tenants().delete(TenantId.of("acme"));

            assertThat(fixture.rows("irisx_calls")).isEqualTo(1);
            assertThat(fixture.rows("irisx_call_status_history")).isEqualTo(1);
            assertThat(fixture.voice("globex").list(PageRequest.first(10)).items()).hasSize(1);
        } finally {
            fixture.close();
        }
        assertThat(closed).isTrue();
    }

    @Test
    void voice_without_the_module_installed_says_how_to_install_it() {
        try (Irisx irisx = Irisx.builder().dataSource(TestDatabases.h2().dataSource())
                .sealingKeys(SealingKeys.generate("k1")).build()) {
            assertThatIllegalStateException().isThrownBy(() -> Voice.of(irisx.tenant("acme")))
                    .withMessageContaining("VoiceModule");
        }
    }
}
