package io.irisx.reference;

import io.irisx.core.Irisx;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.usage.DailyUsage;
import io.irisx.core.usage.UsageUnit;
import io.irisx.messaging.email.SenderStats;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsFilter;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.webhooks.endpoint.EndpointStats;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin console's analytics: one tenant's daily series over a range of UTC days, each computed from IRISX's public
 * APIs over that range only — sends and call minutes from the metered daily usage (a call counts on the day it
 * ended), email delivery, bounce and complaint rates from the sender statistics (emails count on the day a provider
 * accepted them, reports on the day they happened, as mailbox providers count complaints), the SMS delivery rate from
 * the tenant's messages queued in the range (every one that reached a final status, read a page at a time), webhook
 * success rate and latency percentiles from the delivery statistics, and revenue from the cost report (the price
 * book applied to the usage). A day with nothing to measure a rate over has {@code null} for it, not 0.
 */
@RestController
class AnalyticsController {

    /** The longest range asked at once, in days. */
    static final int MAX_DAYS = 92;

    /** Google's and Yahoo's sender guidelines: keep complaints under 0.1 %, never reach 0.3 %. */
    record Thresholds(double complaintWarning, double complaintLimit) {
    }

    /**
     * The series, each with one value per day of {@code days}.
     *
     * @param sends messages sent per channel ({@code email}, {@code sms}, {@code calls}) per day
     * @param smsScanned the SMS messages read for {@code smsDeliveryRate}: all those queued in the range that reached a
     *     final status (delivered, read, undelivered or failed)
     * @param revenue what the day's usage costs the tenant, in {@code currency}
     */
    record Analytics(TenantId tenant, LocalDate from, LocalDate to, List<LocalDate> days,
            Map<String, List<Long>> sends, List<Double> emailDeliveryRate, List<Double> emailBounceRate,
            List<Double> emailComplaintRate, Thresholds thresholds, List<Double> smsDeliveryRate, long smsScanned,
            List<Double> callMinutes, List<Double> webhookSuccessRate, List<Long> webhookP50Millis,
            List<Long> webhookP95Millis, List<Long> webhookAttempts, String currency, List<BigDecimal> revenue) {
    }

    private final Irisx irisx;

    AnalyticsController(Irisx irisx) {
        this.irisx = irisx;
    }

    @GetMapping("/admin/tenants/{tenant}/analytics")
    Analytics analytics(@PathVariable String tenant, @RequestParam String from, @RequestParam String to) {
        LocalDate first = Paging.day("from", from);
        LocalDate last = Paging.day("to", to);
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("to must not be before from, was " + to);
        }
        long span = ChronoUnit.DAYS.between(first, last) + 1;
        if (span > MAX_DAYS) {
            throw new IllegalArgumentException("to must be at most " + MAX_DAYS + " days after from, was " + to);
        }
        Tenant t = irisx.tenant(irisx.tenants().get(TenantId.of(tenant)).id());
        List<LocalDate> days = first.datesUntil(last.plusDays(1)).toList();
        Map<LocalDate, Integer> index = new HashMap<>();
        for (int i = 0; i < days.size(); i++) {
            index.put(days.get(i), i);
        }

        List<Long> emails = zeros(days.size());
        List<Long> sms = zeros(days.size());
        List<Long> calls = zeros(days.size());
        List<Double> minutes = new ArrayList<>(java.util.Collections.nCopies(days.size(), 0.0));
        for (DailyUsage usage : t.usage().daily(first, last)) {
            int i = index.get(usage.day());
            if (usage.unit() == UsageUnit.EMAIL) {
                emails.set(i, emails.get(i) + usage.quantity());
            } else if (usage.unit() == UsageUnit.SMS_SEGMENT || usage.unit() == UsageUnit.MMS) {
                sms.set(i, sms.get(i) + usage.records());
            } else if (usage.unit() == UsageUnit.CALL_SECOND) {
                calls.set(i, calls.get(i) + usage.records());
                minutes.set(i, minutes.get(i) + usage.quantity() / 60.0);
            }
        }

        List<Double> delivery = new ArrayList<>();
        List<Double> bounces = new ArrayList<>();
        List<Double> complaints = new ArrayList<>();
        List<Double> webhookSuccess = new ArrayList<>();
        List<Long> p50 = new ArrayList<>();
        List<Long> p95 = new ArrayList<>();
        List<Long> attempts = new ArrayList<>();
        List<BigDecimal> revenue = new ArrayList<>();
        String currency = null;
        for (LocalDate day : days) {
            Instant start = start(day);
            Instant end = start(day.plusDays(1));
            long sent = 0;
            long delivered = 0;
            long bounced = 0;
            long complained = 0;
            for (SenderStats stats : Clients.email(t).stats(start, end)) {
                sent += stats.sent();
                delivered += stats.delivered();
                bounced += stats.hardBounces() + stats.softBounces();
                complained += stats.complaints();
            }
            long reached = delivered > 0 ? delivered : sent;
            delivery.add(rate(delivered, sent));
            bounces.add(rate(bounced, sent));
            complaints.add(rate(complained, reached));

            EndpointStats hooks = Clients.webhooks(t).stats(start, end);
            webhookSuccess.add(hooks.successRate().isPresent() ? hooks.successRate().getAsDouble() : null);
            p50.add(millis(hooks.p50Latency()));
            p95.add(millis(hooks.p95Latency()));
            attempts.add(hooks.attempts());

            var cost = t.usage().cost(day, day);
            currency = cost.currency().getCurrencyCode();
            revenue.add(cost.total());
        }

        SmsOutcomes smsOutcomes = smsOutcomes(t, days, index);
        return new Analytics(t.id(), first, last, days, Map.of("email", emails, "sms", sms, "calls", calls), delivery,
                bounces, complaints, new Thresholds(0.001, 0.003), smsOutcomes.deliveryRate(), smsOutcomes.read(),
                minutes, webhookSuccess, p50, p95, attempts, currency, revenue);
    }

    /**
     * The SMS delivery rate of each day: of the messages queued that day that reached a final status, those
     * delivered (or read). Reads every such message of the range, a page at a time, and no other message.
     */
    private static SmsOutcomes smsOutcomes(Tenant t, List<LocalDate> days, Map<LocalDate, Integer> index) {
        SmsFilter ended = SmsFilter.all()
                .statuses(SmsStatus.DELIVERED, SmsStatus.READ, SmsStatus.UNDELIVERED, SmsStatus.FAILED)
                .createdBetween(start(days.get(0)), start(days.get(days.size() - 1).plusDays(1)));
        SmsClient client = Clients.sms(t);
        long[] delivered = new long[days.size()];
        long[] finished = new long[days.size()];
        long read = 0;
        PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
        while (true) {
            Page<Sms> messages = client.list(ended, page);
            for (Sms message : messages.items()) {
                read++;
                int i = index.get(LocalDate.ofInstant(message.createdAt(), ZoneOffset.UTC));
                finished[i]++;
                if (message.status() == SmsStatus.DELIVERED || message.status() == SmsStatus.READ) {
                    delivered[i]++;
                }
            }
            if (messages.nextCursor().isEmpty()) {
                break;
            }
            page = PageRequest.after(messages.nextCursor().get(), PageRequest.MAX_LIMIT);
        }
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            rates.add(rate(delivered[i], finished[i]));
        }
        return new SmsOutcomes(rates, read);
    }

    /** The SMS delivery rate per day, and the messages read to measure it. */
    private record SmsOutcomes(List<Double> deliveryRate, long read) {
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static List<Long> zeros(int size) {
        return new ArrayList<>(java.util.Collections.nCopies(size, 0L));
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static Long millis(Optional<Duration> latency) {
        return latency.map(Duration::toMillis).orElse(null);
    }
}
