package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.irisx.core.Irisx;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import io.irisx.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * The numbers a sender must watch, per sending domain over a window, and the complaint-rate alerts at Gmail's and
 * Yahoo's lines for bulk senders (https://support.google.com/a/answer/81126: keep spam rates below 0.1 % and never
 * reach 0.3 %), on each database.
 */
@OnEachDialect
class SenderStatsTest {

    @Parameter
    Database.Dialect dialect;
    private final MutableClock clock = MutableClock.at(MessagingFixture.START);
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Database database;
    private Irisx irisx;
    private EmailClient acme;
    private int sends;

    @BeforeEach
    void start() {
        database = TestDatabases.of(dialect);
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1")).clock(clock)
                .eventSink(events::add).meterRegistry(meters)
                .install(EmailModule.builder().sendOnly()
                        .complaintAlerts(new ComplaintAlerts(Duration.ofHours(1), 0.01, 0.05, 20)).build())
                .build();
        acme = EmailClient.of(irisx.tenant("acme"));
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
    }

    /** Sends from {@code from} to {@code to}, accepted by resend; returns resend's id for it. */
    private String sent(String from, String to) {
        MessageId id = acme.send(EmailMessage.builder().from(from).to(to).subject("Hi").text("Hi").build());
        String providerId = "re_" + ++sends;
        assertThat(emailStore().markSent(acme.get(id), "resend", providerId, 1, false, "accepted")).isTrue();
        return providerId;
    }

    private io.irisx.messaging.email.internal.EmailStore emailStore() {
        return io.irisx.messaging.email.internal.EmailStore.create(irisx.database(), clock, irisx.events());
    }

    private void report(ProviderEvent.Kind kind, String providerId, String recipient) {
        ProviderEvent.Builder event = ProviderEvent.builder("resend", kind).providerMessageId(providerId)
                .recipient(recipient).occurredAt(clock.instant());
        if (kind == ProviderEvent.Kind.CLICKED) {
            event.link("https://acme.example/offer");
        }
        assertThat(acme.record(event.build())).isTrue();
    }

    @Test
    void each_domain_counts_its_sends_and_each_report_once_per_email_and_recipient() {
        Instant from = clock.instant();
        for (int i = 0; i < 10; i++) {
            String id = sent("news@Acme.example", "r" + i + "@example.com");
            if (i < 8) {
                report(ProviderEvent.Kind.DELIVERED, id, "r" + i + "@example.com");
            }
            if (i < 4) {
                report(ProviderEvent.Kind.OPENED, id, "r" + i + "@example.com");
            }
            if (i == 0) {
                // Opened again, from another device: still one open.
                clock.advance(Duration.ofSeconds(1));
                report(ProviderEvent.Kind.OPENED, id, "r0@example.com");
                report(ProviderEvent.Kind.CLICKED, id, "r0@example.com");
                report(ProviderEvent.Kind.UNSUBSCRIBED, id, "r0@example.com");
            }
            if (i == 8) {
                report(ProviderEvent.Kind.HARD_BOUNCE, id, "r8@example.com");
            }
            if (i == 9) {
                report(ProviderEvent.Kind.SOFT_BOUNCE, id, "r9@example.com");
            }
        }
        String other = sent("billing@globex-mail.example", "x@example.com");
        report(ProviderEvent.Kind.DELIVERED, other, "x@example.com");
        clock.advance(Duration.ofMinutes(1));

        List<SenderStats> stats = acme.stats(from, clock.instant());

        assertThat(stats).extracting(SenderStats::domain).containsExactly("acme.example", "globex-mail.example");
        SenderStats acmeDomain = stats.get(0);
        assertThat(acmeDomain.sent()).isEqualTo(10);
        assertThat(acmeDomain.delivered()).isEqualTo(8);
        assertThat(acmeDomain.hardBounces()).isEqualTo(1);
        assertThat(acmeDomain.softBounces()).isEqualTo(1);
        assertThat(acmeDomain.opens()).isEqualTo(4);
        assertThat(acmeDomain.clicks()).isEqualTo(1);
        assertThat(acmeDomain.unsubscribes()).isEqualTo(1);
        assertThat(acmeDomain.bounceRate()).isCloseTo(0.2, within(1e-9));
        assertThat(acmeDomain.hardBounceRate()).isCloseTo(0.1, within(1e-9));
        assertThat(acmeDomain.openRate()).isCloseTo(0.5, within(1e-9));
        assertThat(acmeDomain.clickRate()).isCloseTo(0.125, within(1e-9));
        assertThat(acmeDomain.unsubscribeRate()).isCloseTo(0.125, within(1e-9));
        assertThat(stats.get(1).sent()).isEqualTo(1);
        // Outside the window, nothing; another tenant, nothing.
        assertThat(acme.stats("acme.example", clock.instant(), clock.instant().plusSeconds(60)).sent()).isZero();
        assertThat(EmailClient.of(irisx.tenant("globex")).stats(from, clock.instant())).isEmpty();
        assertThat(meters.get("irisx.reports").tag("kind", "opened").counter().count()).isEqualTo(5);
    }

    @Test
    void the_complaint_rate_raises_a_warning_then_an_alarm_once_per_window_each() {
        Instant from = clock.instant();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = sent("news@acme.example", "r" + i + "@example.com");
            report(ProviderEvent.Kind.DELIVERED, id, "r" + i + "@example.com");
            ids.add(id);
        }

        report(ProviderEvent.Kind.COMPLAINED, ids.get(0), "r0@example.com"); // 2.5 %: warning
        assertThat(alerts()).singleElement().satisfies(e -> assertThat(e.data())
                .contains("\"domain\":\"acme.example\"", "\"level\":\"warning\"", "\"complaints\":1",
                        "\"delivered\":40"));
        report(ProviderEvent.Kind.COMPLAINED, ids.get(1), "r1@example.com"); // 5 %: alarm
        report(ProviderEvent.Kind.COMPLAINED, ids.get(2), "r2@example.com"); // 7.5 %: raised already
        assertThat(alerts()).extracting(Event::data).satisfiesExactly(
                warning -> assertThat(warning).contains("\"level\":\"warning\""),
                alarm -> assertThat(alarm).contains("\"level\":\"alarm\"", "\"complaints\":2"));
        assertThat(meters.get("irisx.alerts").tag("level", "alarm").counter().count()).isEqualTo(1);

        // A window later, still complaining: raised again.
        clock.advance(Duration.ofMinutes(61));
        for (int i = 40; i < 60; i++) {
            String id = sent("news@acme.example", "r" + i + "@example.com");
            report(ProviderEvent.Kind.DELIVERED, id, "r" + i + "@example.com");
            ids.add(id);
        }
        report(ProviderEvent.Kind.COMPLAINED, ids.get(40), "r40@example.com");
        assertThat(alerts()).hasSize(3);
        assertThat(acme.stats("acme.example", from, clock.instant().plusSeconds(1)).complaints()).isEqualTo(4);
    }

    @Test
    void below_the_minimum_volume_no_alert_is_raised() {
        String id = sent("news@acme.example", "r@example.com");
        report(ProviderEvent.Kind.DELIVERED, id, "r@example.com");
        report(ProviderEvent.Kind.COMPLAINED, id, "r@example.com"); // 100 % of one email

        assertThat(alerts()).isEmpty();
    }

    @Test
    void a_window_must_end_after_it_starts_and_thresholds_must_be_ordered() {
        Instant now = clock.instant();
        assertThatThrownBy(() -> acme.stats(now, now)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from must be before to");
        assertThatThrownBy(() -> new ComplaintAlerts(Duration.ofDays(1), 0.003, 0.001, 100))
                .hasMessageContaining("0 < warning <= alarm <= 1");
    }

    private List<Event> alerts() {
        return events.stream().filter(e -> e.type() == EventType.EMAIL_COMPLAINT_RATE).toList();
    }
}
