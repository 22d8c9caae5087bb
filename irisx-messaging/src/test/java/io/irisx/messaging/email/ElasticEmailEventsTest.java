package io.irisx.messaging.email;

import static io.irisx.messaging.email.ProviderEventsFixture.RECIPIENT;
import static io.irisx.messaging.email.ProviderEventsFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.elasticemail.ElasticEmailEvents;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Elastic Email's HTTP Web Notifications through {@link ElasticEmailEvents}: GET requests whose query parameters are
 * those https://help.elasticemail.com/en/articles/4804685-notification-settings lists ({@code transaction},
 * {@code to}, {@code date}, {@code status}, {@code category}, {@code target}, …), with the bounce categories of
 * https://help.elasticemail.com/en/articles/2300650-what-are-the-bounce-error-categories-and-filters. Elastic Email
 * signs nothing: the secret is a query parameter of the notification URL the host configures.
 */
class ElasticEmailEventsTest {

    private static final String TRANSACTION = "c0b3c8ac-3e8b-4d59-9e3c-3a8e4f9c2b1d";
    private static final String PARAMETER = "irisx_key";
    private static final String SECRET = "q2Xv9LmT7rB4wK8nZ1pD";
    private static final String DATE = "1/1/2030 12:00:05 AM";

    private ProviderEventsFixture fixture;
    private ElasticEmailEvents acmeEvents;
    private MessageId email;

    @BeforeEach
    void start() {
        fixture = new ProviderEventsFixture();
        acmeEvents = ElasticEmailEvents.builder(fixture.tenant("acme"), PARAMETER, SECRET).build();
        email = fixture.sent(fixture.acme, "elasticemail", TRANSACTION);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** A notification's parameters, with {@code overrides} ("name", value — null to drop it — …). */
    private static Map<String, String> notification(String status, String... overrides) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(PARAMETER, SECRET);
        params.put("date", DATE);
        params.put("from", "billing@acme.example");
        params.put("to", RECIPIENT);
        params.put("subject", "Your receipt");
        params.put("status", status);
        params.put("channel", "API");
        params.put("account", "ops@acme.example");
        params.put("messageid", "GruPGipsdsy31TIhv3CArg2");
        params.put("transaction", TRANSACTION);
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                params.remove(overrides[i]);
            } else {
                params.put(overrides[i], overrides[i + 1]);
            }
        }
        return params;
    }

    private static CallbackRequest get(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((name, value) -> pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return request("GET", String.join("&", pairs), "");
    }

    @Test
    void a_sent_notification_moves_the_email_to_delivered_with_its_history_row_and_event() {
        CallbackResponse response = acmeEvents.handle(get(notification("Sent")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(EventType.EMAIL_DELIVERED);
            assertThat(change.provider()).contains("elasticemail");
            assertThat(change.recipient()).contains(RECIPIENT);
            assertThat(change.occurredAt()).isEqualTo(Instant.parse("2030-01-01T00:00:05Z"));
        });
        assertThat(fixture.events(EventType.EMAIL_DELIVERED)).singleElement().satisfies(event ->
                assertThat(event.data()).contains("\"providerMessageId\":\"" + TRANSACTION + "\""));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "Error, NoMailbox, BOUNCED, EMAIL_BOUNCED", "Error, Spam, BOUNCED, EMAIL_BOUNCED",
            "Error, GreyListed, BOUNCED, EMAIL_BOUNCED", "Error, AccountProblem, BOUNCED, EMAIL_BOUNCED",
            "Error, Unknown, BOUNCED, EMAIL_BOUNCED", "Error, Ignore, FAILED, EMAIL_FAILED",
            "Error, ManualCancel, FAILED, EMAIL_FAILED", "AbuseReport, , COMPLAINED, EMAIL_COMPLAINED",
            "Opened, , SENT, EMAIL_OPENED", "Unsubscribed, , SENT, EMAIL_UNSUBSCRIBED"})
    void each_documented_status_becomes_its_irisx_event(String status, String category, EmailStatus emailStatus,
            EventType event) {
        Map<String, String> params = category == null ? notification(status) : notification(status, "category", category);

        assertThat(acmeEvents.handle(get(params)).status()).isEqualTo(200);

        assertThat(fixture.acme.get(email).status()).isEqualTo(emailStatus);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(event);
            if (category != null) {
                assertThat(change.detail()).isEqualTo("category " + category);
            }
        });
    }

    @Test
    void no_mailbox_suppresses_the_recipient_other_errors_do_not() {
        acmeEvents.handle(get(notification("Error", "category", "GreyListed")));
        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();

        acmeEvents.handle(get(notification("Error", "category", "NoMailbox", "date", "1/1/2030 12:00:09 AM")));

        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).hasValueSatisfying(
                suppression -> assertThat(suppression.reason()).isEqualTo(Suppression.Reason.HARD_BOUNCE));
    }

    @Test
    void a_click_carries_its_target_into_the_event() {
        acmeEvents.handle(get(notification("Clicked", "target", "https://acme.example/pay?x=1&y=2")));

        assertThat(fixture.events(EventType.EMAIL_CLICKED)).singleElement().satisfies(event ->
                assertThat(event.data()).contains("\"link\":\"https://acme.example/pay?x=1&y=2\""));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1/1/2030 12:00:05 AM", "01/01/2030 12:00:05 AM", "2030-01-01 00:00:05",
            "2030-01-01T00:00:05", "2030-01-01T00:00:05Z", "2030-01-01T01:00:05+01:00"})
    void the_date_is_read_as_utc_in_each_form(String date) {
        acmeEvents.handle(get(notification("Opened", "date", date)));

        assertThat(fixture.acme.history(email)).last().satisfies(change ->
                assertThat(change.occurredAt()).isEqualTo(Instant.parse("2030-01-01T00:00:05Z")));
    }

    @Test
    void a_notification_sent_again_changes_nothing_the_second_time() {
        CallbackRequest opened = get(notification("Opened"));
        assertThat(acmeEvents.handle(opened).status()).isEqualTo(200);
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        assertThat(acmeEvents.handle(opened).status()).isEqualTo(200);

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(fixture.events(EventType.EMAIL_OPENED)).hasSize(1);
    }

    @Test
    void a_missing_or_wrong_secret_is_refused_with_403_and_changes_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        Map<String, String> twice = notification("Error", "category", "NoMailbox");
        CallbackRequest duplicated = request("GET", get(twice).query() + "&" + PARAMETER + "=" + SECRET, "");

        for (CallbackRequest request : List.of(get(notification("Error", PARAMETER, null, "category", "NoMailbox")),
                get(notification("Error", PARAMETER, SECRET + "x", "category", "NoMailbox")),
                get(notification("Error", PARAMETER, SECRET.substring(0, 15), "category", "NoMailbox")),
                get(notification("Error", PARAMETER, "", "category", "NoMailbox")), duplicated)) {
            CallbackResponse response = acmeEvents.handle(request);
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.bodyText()).doesNotContain(SECRET);
        }

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT"})
    void another_method_is_refused_with_405(String method) {
        CallbackResponse response = acmeEvents.handle(request(method, get(notification("Sent")).query(), ""));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "GET");
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.SENT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no transaction", "no date", "unreadable date", "click without target", "bad encoding"})
    void a_notification_that_lacks_what_it_needs_is_refused_with_400(String defect) {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        CallbackRequest request = switch (defect) {
            case "no transaction" -> get(notification("Sent", "transaction", null));
            case "no date" -> get(notification("Sent", "date", null));
            case "unreadable date" -> get(notification("Sent", "date", "yesterday"));
            case "click without target" -> get(notification("Clicked"));
            default -> request("GET", get(notification("Sent")).query() + "&subject=%zz", "");
        };

        CallbackResponse response = acmeEvents.handle(request);

        assertThat(response.status()).isEqualTo(400);
        assertThat(fixture.snapshot(email)).isEqualTo(before);
    }

    @Test
    void notifications_of_unknown_transactions_or_other_statuses_are_acknowledged_and_change_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        assertThat(acmeEvents.handle(get(notification("Sent", "transaction", "another-transaction"))).status())
                .isEqualTo(200);
        assertThat(acmeEvents.handle(get(notification("Queued"))).status()).isEqualTo(200);

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isZero();
    }

    @Test
    void a_tenants_handler_never_touches_another_tenants_email_of_the_same_transaction() {
        MessageId theirs = fixture.sent(fixture.globex, "elasticemail", TRANSACTION);
        String globexSecret = "globex-secret-0123456789";
        ElasticEmailEvents globexEvents = ElasticEmailEvents.builder(fixture.tenant("globex"), PARAMETER, globexSecret)
                .build();

        acmeEvents.handle(get(notification("Error", "category", "NoMailbox")));

        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(fixture.globex.get(theirs).status()).isEqualTo(EmailStatus.SENT);
        assertThat(fixture.globex.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();
        // acme's secret does not open globex's handler.
        assertThat(globexEvents.handle(get(notification("Sent"))).status()).isEqualTo(403);
        assertThat(globexEvents.handle(get(notification("Sent", PARAMETER, globexSecret))).status()).isEqualTo(200);
        assertThat(fixture.globex.get(theirs).status()).isEqualTo(EmailStatus.DELIVERED);
    }

    @Test
    void the_builder_checks_the_parameter_and_the_secret_without_showing_it() {
        for (String parameter : List.of("", "status", "Transaction", "bad name", "x".repeat(65))) {
            assertThatThrownBy(() -> ElasticEmailEvents.builder(fixture.tenant("acme"), parameter, SECRET))
                    .as(parameter).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameter");
        }
        for (String secret : List.of("short-secret", "has a space in it 123", "x".repeat(256))) {
            assertThatThrownBy(() -> ElasticEmailEvents.builder(fixture.tenant("acme"), PARAMETER, secret))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret")
                    .hasMessageNotContaining(secret);
        }
        assertThat(acmeEvents).hasToString("ElasticEmailEvents[acme, parameter irisx_key]");
    }
}
