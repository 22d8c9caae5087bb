package io.irisx.reference;

import static io.irisx.reference.AdminAndAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * An email provider's event webhook whose setting is missing, or refused by IRISX, answers 503 naming the setting to
 * fix, before looking at the request: an app of its own, with no Resend secret and a SendGrid verification key that
 * is no public key.
 */
@SpringBootTest(classes = ReferenceApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "app.sendgrid-webhook-verification-key=bm90IGEga2V5")
@DirtiesContext
class EmailWebhookSettingsTest extends RunningApp {

    @Test
    void a_webhook_without_its_setting_answers_503_naming_it() {
        Answer answer = call("POST", "/callbacks/" + newTenant("acme") + "/resend", null, "{}",
                Map.of("Content-Type", "application/json"));

        assertProblem(answer, 503, "not-configured");
        assertThat(answer.json().path("detail").asText()).contains("app.resend-webhook-secret");
    }

    @Test
    void a_webhook_whose_setting_irisx_refuses_answers_503_naming_it() {
        Answer answer = call("POST", "/callbacks/" + newTenant("acme") + "/sendgrid", null, "[]",
                Map.of("Content-Type", "application/json"));

        assertProblem(answer, 503, "not-configured");
        assertThat(answer.json().path("detail").asText()).contains("app.sendgrid-webhook-verification-key");
    }
}
