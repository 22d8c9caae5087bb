package io.irisx.messaging.sms;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.phone.PhoneNumber;
import io.irisx.core.testing.DocumentedFailures;
import io.irisx.core.testing.FuzzText;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random numbers, senders, bodies and URLs given to {@link SmsMessage#builder()} and {@link PhoneNumber#parseSms}, and random
 * text to {@link Segments} and {@link Keyword}: each is taken or refused with an {@link IrisxValidationException}
 * (a URL's password never shown), and a taken number or text reads back consistently.
 */
class SmsInputFuzzTest {

    private static final List<Class<? extends Throwable>> INVALID = List.of(IrisxValidationException.class);

    @Property(tries = 1000)
    void a_number_is_parsed_to_e164_or_refused(@ForAll("numbers") String text, @ForAll("regions") String region) {
        DocumentedFailures.only(() -> {
            PhoneNumber number = PhoneNumber.parseSms("to", text, region);
            assertThat(PhoneNumber.ofSms(number.value())).isEqualTo(number);
            assertThat(number.canReceiveSms()).isTrue();
            assertThat(number.regionCode()).isNotEmpty();
            assertThat(number.type()).isNotNull();
        }, List.of(IrisxValidationException.class, IllegalArgumentException.class))
                .filter(IllegalArgumentException.class::isInstance)
                .ifPresent(e -> assertThat(e.getMessage()).startsWith("defaultRegion"));
        DocumentedFailures.only(() -> PhoneNumber.ofSms(text).type(), INVALID);
    }

    @Property(tries = 1000)
    void a_message_takes_each_part_or_refuses_it(@ForAll("numbers") String to, @ForAll("senders") String from,
            @ForAll("bodies") String body, @ForAll("urls") Tuple.Tuple2<String, String> url,
            @ForAll("seconds") long validity) {
        List<String> secrets = url.get2().isEmpty() ? List.of() : List.of(url.get2());
        DocumentedFailures.only(() -> SmsMessage.builder().to(to).from(from).body(body)
                .validityPeriod(Duration.ofSeconds(validity)).build().segments(), INVALID);
        DocumentedFailures.only(() -> SmsMessage.builder().media(url.get1()), INVALID, secrets);
        DocumentedFailures.only(() -> SmsMessage.builder().statusCallback(url.get1()), INVALID, secrets);
        DocumentedFailures.only(() -> SmsMessage.builder().messagingServiceSid(from), INVALID);
    }

    @Property(tries = 1000)
    void any_text_has_segments_and_a_keyword(@ForAll("bodies") String body) {
        Segments segments = Segments.of(body);
        assertThat(segments.segments() == 0).isEqualTo(body.isEmpty());
        assertThat((long) segments.segments() * segments.charactersPerSegment())
                .isGreaterThanOrEqualTo(segments.characters());
        assertThat(Keyword.of(body)).isNotNull();
    }

    @Provide
    Arbitrary<String> numbers() {
        return FuzzText.around(Arbitraries.of("+14155550123", "+44 7400 123456", "07400 123456", "(415) 555-0123",
                "0044 7400 123456", "011 44 7400 123456", "+1 800 555 0100", "+800 1234 5678", "+442071234567",
                "+44 7400 123456 ext. 12", "1-800-FLOWERS", "+", "+0", "+1" + "2".repeat(20), "٠٧٤٠٠١٢٣٤٥٦"));
    }

    @Provide
    Arbitrary<String> regions() {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("US", "GB", "DE", "JP", "IN", "001")),
                Tuple.of(1, FuzzText.any()));
    }

    @Provide
    Arbitrary<String> senders() {
        return FuzzText.around(Arbitraries.of("+14155550100", "Acme", "Acme Alerts", "ACME12345678",
                "MG" + "0123456789abcdef".repeat(2), "1234"));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(FuzzText.around(Arbitraries.of("Your code is 123456", "STOP", " stop! ", "HELP.",
                "€".repeat(80), "x".repeat(1600), "x".repeat(1601), "😀".repeat(40), "START!!!")),
                Arbitraries.integers().between(1, 100_000).map("!"::repeat));
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> urls() {
        Arbitrary<String> url = FuzzText.around(Arbitraries.of("https://cdn.acme.example/a.png",
                "https://ada:PASSWORD@cdn.acme.example/a.png", "http://cdn.acme.example/a.png",
                "https://cdn.acme.example/cb?token=PASSWORD", "https://ada:PASSWORD@cdn.acme.example/" + "p".repeat(2100),
                "https:cdn", "https://", "ftp://ada:PASSWORD@x.example/"));
        return Combinators.combine(url, FuzzText.secret()).as((u, password) -> {
            boolean secret = u.contains(":PASSWORD@") || u.contains("?token=PASSWORD");
            return Tuple.of(u.replace("PASSWORD", secret ? password : "public"), secret ? password : "");
        });
    }

    @Provide
    Arbitrary<Long> seconds() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-1, 40_000), Arbitraries.longs().between(-1L << 40, 1L << 40));
    }
}
