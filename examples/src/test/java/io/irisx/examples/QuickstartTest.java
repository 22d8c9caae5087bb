package io.irisx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.outbox.OutboxStatus;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.webhooks.endpoint.MessageStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {

    @Test
    void the_quickstart_completes_one_retries_one_until_done_dead_letters_one_and_survives_a_second_run(@TempDir Path data) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        Quickstart.Summary first = new Quickstart(out).run(data);
        Quickstart.Summary second = new Quickstart(out).run(data);

        assertThat(first.statuses()).containsEntry("welcome", OutboxStatus.DONE)
                .containsEntry("flaky", OutboxStatus.DONE)
                .containsEntry("doomed", OutboxStatus.DEAD);
        assertThat(first.deduplicated()).isTrue();
        assertThat(first.email()).isEqualTo(EmailStatus.SENT);
        assertThat(first.provider()).isEqualTo("postmark");
        assertThat(first.webhook()).isEqualTo(MessageStatus.SUCCEEDED);
        assertThat(first.attempts()).isEqualTo(5); // welcome 1, flaky 3, doomed 1
        assertThat(second).isEqualTo(first);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("status: flaky    PENDING   attempts=1 last error: provider answered 503")
                .contains("dead letter: doomed after 1 attempt(s): provider answered 550")
                .contains("opens to the same key: true")
                .contains("receiver: verified webhook msg_").contains("\"type\":\"email.sent\"")
                .contains(": SUCCEEDED, HTTP 204 in ")
                .contains("refused before anything is stored: subject")
                .contains("(\"Welcome, Ada <Lovelace>\"); sent again with the same key: the same email")
                .contains("provider API on loopback: POST /resend/emails -> 500")
                .contains("provider API on loopback: POST /postmark/email -> 200")
                .contains("email status: SENT   accepted by postmark as ").contains("resend 500")
                .doesNotContain("sk_live_example_provider_key");
        assertThat(data.resolve("irisx.mv.db")).exists();
        assertThat(data.resolve("sealing.keys")).exists();
    }
}
