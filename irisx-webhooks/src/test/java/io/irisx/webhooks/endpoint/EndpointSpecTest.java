package io.irisx.webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import org.junit.jupiter.api.Test;

class EndpointSpecTest {

    @Test
    void a_url_too_long_is_refused_without_its_password() {
        String userInfo = "https://ada:hunter2@hooks.acme.example/" + "p".repeat(2100);
        String query = "https://hooks.acme.example/in?password=hunter2&x=" + "y".repeat(2100);
        for (String url : new String[] {userInfo, query}) {
            assertThatThrownBy(() -> EndpointSpec.builder(url)).isInstanceOf(IrisxValidationException.class)
                    .hasMessageContaining("must be an http or https URL of 1-2048 characters")
                    .hasMessageContaining("****").hasMessageNotContaining("hunter2");
            assertThatThrownBy(() -> EndpointUpdate.builder().url(url)).isInstanceOf(IrisxValidationException.class)
                    .hasMessageNotContaining("hunter2");
        }
    }
}
