package com.example.host;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.irisx.core.Irisx;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.sendgrid.SendGridProvider;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.twilio.TwilioProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's own use of IRISX on the class path its build resolved from irisx-bom: an email sent through SendGrid
 * and an SMS through Twilio, both with the providers' real SDKs, against their APIs on loopback.
 */
class HostSendsTest {

    private static final Duration SENT_WITHIN = Duration.ofSeconds(30);
    private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String AUTH_TOKEN = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path data;

    private LocalProviderApis apis;

    @BeforeEach
    void start() {
        apis = new LocalProviderApis();
    }

    @AfterEach
    void stop() {
        apis.close();
    }

    @Test
    void an_email_sent_through_sendgrid_is_marked_sent_with_sendgrids_message_id() {
        try (Irisx irisx = Irisx.builder().dataDirectory(data)
                .install(EmailModule.builder()
                        .provider(SendGridProvider.builder("SG.host-test-key").baseUrl(apis.baseUrl()).build())
                        .build())
                .build()) {
            EmailClient email = EmailClient.of(irisx.tenant("acme"));
            MessageId id = email.send(EmailMessage.builder()
                    .from("hello@acme.example", "Acme")
                    .to("ada@example.com", "Ada Lovelace")
                    .subject("Welcome, Ada")
                    .text("Hello Ada")
                    .build());

            Email sent = await().atMost(SENT_WITHIN).until(() -> email.get(id), e -> e.status() == EmailStatus.SENT);

            assertEquals(Optional.of("sendgrid"), sent.provider());
            assertEquals(Optional.of(LocalProviderApis.SENDGRID_MESSAGE_ID), sent.providerMessageId());
        }
        LocalProviderApis.Received request = apis.received.get(0);
        assertEquals("/v3/mail/send", request.path());
        assertEquals("Bearer SG.host-test-key", request.authorization());
        assertTrue(request.body().contains("\"subject\":\"Welcome, Ada\""), request.body());
    }

    @Test
    void an_sms_sent_through_twilio_is_marked_sent_with_twilios_message_sid() {
        try (Irisx irisx = Irisx.builder().dataDirectory(data)
                .install(SmsModule.builder()
                        .provider(TwilioProvider.builder(ACCOUNT_SID, AUTH_TOKEN).baseUrl(apis.baseUrl()).build())
                        .build())
                .build()) {
            SmsClient sms = SmsClient.of(irisx.tenant("acme"));
            MessageId id = sms.send(SmsMessage.builder().to("+447400123456").from("+447400654321")
                    .body("Your code is 123456").build());

            // The SDK reads Twilio's answer with Jackson (Message.fromJson): Twilio's own jackson-core and
            // jackson-annotations beside IRISX's newer jackson-databind fail here, after Twilio accepted the message.
            Sms sent = await().atMost(SENT_WITHIN).until(() -> sms.get(id), s -> s.status() == SmsStatus.SENT);

            assertEquals(Optional.of(LocalProviderApis.TWILIO_MESSAGE_SID), sent.providerMessageId());
            assertEquals(Optional.of("queued"), sent.providerStatus());
        }
        LocalProviderApis.Received request = apis.received.get(0);
        assertEquals("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json", request.path());
        assertTrue(request.body().contains("To=%2B447400123456"), request.body());
        assertTrue(request.authorization().startsWith("Basic "), request.authorization());
    }
}
