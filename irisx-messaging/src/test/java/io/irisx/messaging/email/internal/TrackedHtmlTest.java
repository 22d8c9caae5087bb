package io.irisx.messaging.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which links of an HTML body {@link TrackedHtml} tracks, and where it puts the pixel. */
class TrackedHtmlTest {

    private static TrackedHtml track(String html) {
        return TrackedHtml.of(html, position -> "https://t.example/c/" + position, "https://t.example/o/x");
    }

    @Test
    void character_references_in_a_link_are_decoded_for_the_redirect() {
        TrackedHtml tracked = track("<a href=\"https://a.example/?x=1&amp;y=2&#38;z=3&#x26;w=4&nbsp;\">a</a>");

        assertThat(tracked.links()).containsExactly("https://a.example/?x=1&y=2&z=3&w=4&nbsp;");
        assertThat(tracked.html()).startsWith("<a href=\"https://t.example/c/0\">a</a>");
    }

    @Test
    void links_that_are_not_absolute_http_urls_stay_as_they_are() {
        String html = "<a href=\"https://exa mple.com/\">space</a><a href=\"https://a.example/&quot;\">quote</a>"
                + "<a href=\"ftp://a.example/f\">ftp</a>"
                + "<a href=\"https:///nohost\">no host</a><a href=\"javascript:alert(1)\">js</a><a name=\"x\">anchor</a>";

        TrackedHtml tracked = track(html);

        assertThat(tracked.links()).isEmpty();
        assertThat(tracked.html()).isEqualTo(html + "<img src=\"https://t.example/o/x\" width=\"1\" height=\"1\" alt=\"\">");
    }

    @Test
    void a_link_longer_than_the_cap_stays_as_it_is() {
        String longUrl = "https://a.example/" + "p".repeat(TrackedHtml.MAX_URL);

        TrackedHtml tracked = track("<a href=\"" + longUrl + "\">long</a><a href=\"https://a.example/short\">short</a>");

        assertThat(tracked.links()).containsExactly("https://a.example/short");
        assertThat(tracked.html()).contains(longUrl, "https://t.example/c/0\">short");
    }

    @Test
    void links_after_the_cap_stay_as_they_are() {
        String html = "<a href=\"https://a.example/n\">n</a>".repeat(TrackedHtml.MAX_LINKS + 2);

        TrackedHtml tracked = track(html);

        assertThat(tracked.links()).hasSize(TrackedHtml.MAX_LINKS);
        assertThat(tracked.html()).contains("https://t.example/c/" + (TrackedHtml.MAX_LINKS - 1) + "\"")
                .doesNotContain("https://t.example/c/" + TrackedHtml.MAX_LINKS + "\"");
        assertThat(tracked.html().split("https://a.example/n", -1)).hasSize(3);
    }

    @Test
    void the_pixel_goes_before_the_last_body_end_in_any_case() {
        TrackedHtml tracked = track("<body>a</BODY >b</Body>");

        assertThat(tracked.html()).isEqualTo("<body>a</BODY >b<img src=\"https://t.example/o/x\" width=\"1\""
                + " height=\"1\" alt=\"\"></Body>");
    }
}
