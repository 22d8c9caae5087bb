package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.secret.Redaction;
import io.irisx.core.testing.DocumentedFailures;
import io.irisx.core.testing.FuzzText;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random addresses, names, subjects, bodies, headers, tags, metadata and attachments given to
 * {@link EmailMessage#builder()}, {@link EmailAddress} and {@link Attachment}: each is taken or refused with an
 * {@link IrisxValidationException}, and a credential header's value is never shown.
 */
class EmailMessageFuzzTest {

    private static final List<Class<? extends Throwable>> INVALID = List.of(IrisxValidationException.class);

    @Property(tries = 1000)
    void an_address_and_name_are_taken_or_refused(@ForAll("addresses") String address, @ForAll("names") String name) {
        DocumentedFailures.only(() -> {
            EmailAddress parsed = EmailAddress.of(address, name);
            assertThat(parsed.domain()).isNotEmpty();
            assertThat(parsed.formatted()).contains(address);
        }, INVALID);
        DocumentedFailures.only(() -> EmailMessage.builder().from(address, name).to(address, name).cc(address)
                .bcc(address).replyTo(address), INVALID);
    }

    @Property(tries = 1000)
    void an_email_takes_each_part_or_refuses_it(@ForAll("lines") String subject, @ForAll("bodies") String text,
            @ForAll("tags") String tag, @ForAll("tags") String metadataKey, @ForAll("lines") String metadataValue,
            @ForAll("lines") String idempotencyKey, @ForAll("templateIds") String templateId) {
        DocumentedFailures.only(() -> EmailMessage.builder().from("billing@acme.example").to("ada@example.com")
                .subject(subject).text(text).html(text).tag(tag).metadata(metadataKey, metadataValue)
                .idempotencyKey(idempotencyKey).build(), INVALID);
        DocumentedFailures.only(() -> EmailMessage.builder().from("billing@acme.example").to("ada@example.com")
                .template(templateId, java.util.Map.of("name", text)).build(), INVALID);
    }

    @Property(tries = 1000)
    void a_header_is_taken_or_refused_without_a_credential(@ForAll("headerNames") String name,
            @ForAll("headerValues") String value, @ForAll("secrets") String secret) {
        String withSecret = value.replace("SECRET", secret);
        List<String> secrets = Redaction.isSecretHeader(name) ? List.of(secret) : List.of();
        DocumentedFailures.only(() -> EmailMessage.builder().header(name, withSecret), INVALID, secrets);
    }

    @Property(tries = 1000)
    void an_attachment_is_taken_or_refused(@ForAll("filenames") String filename, @ForAll("contentTypes") String type,
            @ForAll("contentIds") String contentId) {
        DocumentedFailures.only(() -> assertThat(Attachment.of(filename, type, new byte[] {1, 2}).size()).isEqualTo(2),
                INVALID);
        DocumentedFailures.only(() -> assertThat(Attachment.inline(contentId, filename, type, new byte[0]).isInline())
                .isTrue(), INVALID);
    }

    @Provide
    Arbitrary<String> addresses() {
        Arbitrary<String> local = Arbitraries.of("ada", "ada.lovelace", "a+tag", "o'brien", "x".repeat(64), "x".repeat(65),
                "a..b", ".a", "\"quoted\"", "ü");
        Arbitrary<String> domain = Arbitraries.of("example.com", "acme.example", "xn--bcher-kva.example", "a-.example",
                "example", "ex_ample.com", "d".repeat(63) + ".com", "d".repeat(64) + ".com", "example.c0m", "127.0.0.1",
                ("a".repeat(60) + ".").repeat(4) + "com");
        return FuzzText.around(Combinators.combine(local, Arbitraries.of("@", "@@", ""), domain)
                .as((l, at, d) -> l + at + d));
    }

    @Provide
    Arbitrary<String> names() {
        return FuzzText.around(Arbitraries.of("", "Ada Lovelace", "Acme \"Billing\"", "Ünïcödé 😀", "n".repeat(998),
                "n".repeat(999), "=?utf-8?q?x?="));
    }

    @Provide
    Arbitrary<String> lines() {
        return FuzzText.around(Arbitraries.of("Your receipt", "a\tb", "s".repeat(998), "s".repeat(999), " ", "x"));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(FuzzText.any(), Arbitraries.of("Thank you.", "<p>Hi</p>"));
    }

    @Provide
    Arbitrary<String> tags() {
        return FuzzText.around(Arbitraries.of("receipt", "a.b-c_d", "t".repeat(64), "t".repeat(65)));
    }

    @Provide
    Arbitrary<String> templateIds() {
        return FuzzText.around(Arbitraries.of("welcome", "a", "t".repeat(64), "t".repeat(65), "Welcome"));
    }

    @Provide
    Arbitrary<String> headerNames() {
        return FuzzText.around(Arbitraries.of("X-Campaign", "Authorization", "X-Api-Key", "X-Client-Secret",
                "Subject", "List-Unsubscribe", "h".repeat(76), "h".repeat(77)));
    }

    @Provide
    Arbitrary<String> headerValues() {
        return FuzzText.around(Arbitraries.of("Bearer SECRET", "SECRET", "summer-sale", "SECRET\r\nBcc: x@y.z",
                "SECRET" + "v".repeat(1000), "SECRET\t" + "v".repeat(900)));
    }

    @Provide
    Arbitrary<String> secrets() {
        return FuzzText.secret();
    }

    @Provide
    Arbitrary<String> filenames() {
        return FuzzText.around(Arbitraries.of("receipt.pdf", "a b.txt", "f".repeat(255), "f".repeat(256), "../x",
                "résumé.pdf"));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return FuzzText.around(Arbitraries.of("application/pdf", "text/plain", "image/png; charset=x", "TEXT/PLAIN",
                "a/b", "t".repeat(127) + "/x", "t".repeat(128) + "/x"));
    }

    @Provide
    Arbitrary<String> contentIds() {
        return FuzzText.around(Arbitraries.of("logo@acme.example", "<logo>", "c".repeat(250), "c".repeat(251)));
    }
}
