package io.irisx.messaging.sms;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import org.junit.jupiter.api.Test;

class SmsMessageTest {

    @Test
    void a_refused_media_or_callback_url_is_shown_without_its_password() {
        for (String url : new String[] {"https://ada:hunter2@cdn.acme.example/" + "p".repeat(2100),
                "http://ada:hunter2@cdn.acme.example/a.png", "https://cdn.acme.example/cb?token=hunter2&x=" + "y".repeat(2100),
                "https://ada:hunter2@cdn acme/"}) {
            assertThatThrownBy(() -> SmsMessage.builder().media(url)).isInstanceOf(IrisxValidationException.class)
                    .hasMessageStartingWith("mediaUrls: ").hasMessageContaining("****").hasMessageNotContaining("hunter2");
            assertThatThrownBy(() -> SmsMessage.builder().statusCallback(url))
                    .isInstanceOf(IrisxValidationException.class).hasMessageNotContaining("hunter2");
        }
    }
}
