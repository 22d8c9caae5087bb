package io.irisx.messaging.email.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Dkim}'s settings: the signing domain and selector are DNS names (RFC 6376 §3.5 {@code d=} and {@code s=},
 * https://www.rfc-editor.org/rfc/rfc6376#section-3.5), the signed header list always holds From (§5.4) and by default
 * the List-Unsubscribe pair RFC 8058 §4 requires signed (https://www.rfc-editor.org/rfc/rfc8058#section-4).
 */
class DkimTest {

    private static final DkimKey KEY = DkimKey.fromPem(DkimKeyTest.RFC_ED25519_PKCS8);

    @Test
    void by_default_it_signs_the_listed_headers_list_unsubscribe_among_them() {
        Dkim dkim = Dkim.builder("acme.example", "mail2026", KEY).build();
        assertThat(dkim.signedHeaders()).isEqualTo(Dkim.DEFAULT_SIGNED_HEADERS).containsExactly("From", "To", "Cc",
                "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Reply-To", "List-Unsubscribe",
                "List-Unsubscribe-Post");
        assertThat(dkim.domain()).isEqualTo("acme.example");
        assertThat(dkim.selector()).isEqualTo("mail2026");
        assertThat(dkim.key()).isSameAs(KEY);
    }

    @Test
    void from_is_signed_even_when_the_list_leaves_it_out() {
        assertThat(Dkim.builder("acme.example", "s1", KEY).signedHeaders(List.of("Subject", "Date")).build()
                .signedHeaders()).containsExactly("From", "Subject", "Date");
        assertThat(Dkim.builder("acme.example", "s1", KEY).signedHeaders(List.of("Subject", "from")).build()
                .signedHeaders()).containsExactly("Subject", "from");
    }

    @Test
    void a_bad_header_list_is_refused_naming_the_name() {
        Dkim.Builder builder = Dkim.builder("acme.example", "s1", KEY);
        assertThatThrownBy(() -> builder.signedHeaders(List.of("From", "Sub ject")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Sub ject'");
        assertThatThrownBy(() -> builder.signedHeaders(List.of("X:Y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'X:Y'");
        assertThatThrownBy(() -> builder.signedHeaders(List.of("Subject", "SUBJECT")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> builder.signedHeaders(List.of("DKIM-Signature")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DKIM-Signature");
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme", "acme example", "-acme.example", "acme-.example", "acme..example", "acme.example.",
        "ümlaut.example", "acme_mail.example", ""})
    void a_domain_that_is_not_a_dns_name_is_refused(String domain) {
        assertThatThrownBy(() -> Dkim.builder(domain, "s1", KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("domain must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail 2026", "", ".s1", "s1.", "s_1", "s1\n"})
    void a_selector_that_is_not_dns_labels_is_refused(String selector) {
        assertThatThrownBy(() -> Dkim.builder("acme.example", selector, KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("selector must be")
                .hasMessageNotContaining("\n");
    }

    @Test
    void dns_names_are_taken_in_ascii_with_labels_and_a_length_dns_allows() {
        assertThat(Dkim.builder("xn--mlaut-jva.example", "eu.mail2026", KEY).build().selector())
                .isEqualTo("eu.mail2026");
        String label = "a".repeat(63);
        assertThat(Dkim.builder(label + ".example", "s1", KEY).build().domain()).startsWith(label);
        assertThatThrownBy(() -> Dkim.builder("a".repeat(64) + ".example", "s1", KEY))
                .isInstanceOf(IllegalArgumentException.class);
        String longDomain = String.join(".", List.of(label, label, label)) + ".example";
        assertThatThrownBy(() -> Dkim.builder(longDomain, "s".repeat(60), KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 253");
    }

    @Test
    void its_text_form_and_the_providers_name_domain_selector_and_algorithm_never_the_key() {
        Dkim dkim = Dkim.builder("acme.example", "mail2026", KEY).build();
        assertThat(dkim).hasToString("Dkim[d=acme.example s=mail2026 a=ed25519-sha256]");
        // The example of Dkim's Javadoc.
        SmtpProvider smtp = SmtpProvider.builder("smtp.example.com", 587)
                .dkim(Dkim.builder("acme.example", "mail2026", DkimKey.fromPem(DkimKeyTest.RFC_ED25519_PKCS8)).build())
                .build();
        assertThat(smtp.toString()).contains("dkim=Dkim[d=acme.example s=mail2026 a=ed25519-sha256]")
                .doesNotContain("MC4CAQAw");
    }
}
