package io.irisx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"acme", "Acme-Corp", "tenant_42", "a", "x.y.z"})
    void plain_names_are_tenant_ids(String name) {
        assertThat(TenantId.of(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " acme", "-acme", "ac me", "acme\n", "acmé", "a/b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void other_text_is_refused_naming_the_field_and_value(String name) {
        assertThatThrownBy(() -> TenantId.of(name))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageStartingWith("tenantId: '");
    }

    @Test
    void validation_messages_escape_line_breaks_so_logs_cannot_be_forged() {
        assertThatThrownBy(() -> TenantId.of("acme\nINFO fake log line"))
                .hasMessageStartingWith("tenantId: 'acme\\nINFO fake log line'");
    }
}
