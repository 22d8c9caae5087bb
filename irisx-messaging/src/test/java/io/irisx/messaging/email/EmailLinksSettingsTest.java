package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The link settings of {@link EmailModule.Builder}, checked as they are set and at {@code build()}. */
class EmailLinksSettingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://links.acme.example", "https://links.acme.example/e?x=1",
            "https://links.acme.example/e#top", "https://user@links.acme.example", "https:/links", "links.acme.example",
            "https://links.acme.example/\"><script>", "ftp://links.acme.example"})
    void a_links_base_url_that_is_not_a_plain_https_url_is_refused_naming_it(String baseUrl) {
        assertThatThrownBy(() -> EmailModule.builder().links(baseUrl))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("links base URL")
                .hasMessageContaining(baseUrl);
    }

    @Test
    void a_links_base_url_longer_than_200_characters_is_refused() {
        assertThatThrownBy(() -> EmailModule.builder().links("https://links.acme.example/" + "a".repeat(200)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 200");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unsubscribe", "un subscribe@acme.example", "u?subject=x@acme.example",
            "u%40@acme.example", ".u@acme.example"})
    void an_unsubscribe_mailbox_that_is_not_a_plain_address_is_refused_naming_it(String address) {
        assertThatThrownBy(() -> EmailModule.builder().unsubscribeMailbox(address))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(address);
    }

    @Test
    void a_mailbox_or_tracking_without_links_is_refused_at_build() {
        assertThatThrownBy(() -> EmailModule.builder().sendOnly().unsubscribeMailbox("u@acme.example").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("links(baseUrl)");
        assertThatThrownBy(() -> EmailModule.builder().sendOnly().tracking(tenant -> true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("links(baseUrl)");
    }

    @Test
    void the_handler_is_there_once_the_module_is_installed() {
        EmailModule module = EmailModule.builder().sendOnly().links("https://links.acme.example")
                .tracking(TenantId.of("acme")::equals).build();

        assertThat(module.toString()).contains("send-only");
        assertThatThrownBy(module::links).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not installed");
    }
}
