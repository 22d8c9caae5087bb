package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.core.testing.TestRows;
import io.irisx.messaging.MessagingFixture;
import io.irisx.messaging.email.internal.LinkToken;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Open and click tracking: the HTML body's links made click links and an open pixel added at send time, the links
 * stored; {@link EmailLinks} counting opens (machine ones apart) and clicks once per recipient and redirecting only
 * to a stored link; and tokens that reach no other tenant's email — on each database.
 */
@OnEachDialect
class EmailTrackingTest {

    private static final String HTML = "<html><body><p>Hello</p>"
            + "<a href=\"https://shop.acme.example/spring?utm=news&amp;id=7\">Shop</a>"
            + "<a class='x' href='http://acme.example/blog'>Blog</a>"
            + "<A HREF=https://acme.example/upper>Upper</A>"
            + "<a href=\"mailto:help@acme.example\">Mail us</a>"
            + "<a href=\"#top\">Top</a>"
            + "<a href=\"/relative\">Relative</a>"
            + "<a data-href=\"https://acme.example/data\">Data</a>"
            + "</body></html>";

    @Parameter
    Database.Dialect dialect;
    private LinksRuntime runtime;
    private EmailClient acme;

    @BeforeEach
    void start() {
        runtime = new LinksRuntime(TestDatabases.of(dialect));
        acme = runtime.email("acme");
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private static EmailMessage.Builder tracked() {
        return EmailMessage.builder()
                .from("news@acme.example", "Acme News")
                .to("Ada@Example.com")
                .subject("Spring")
                .text("Shop at https://shop.acme.example/spring")
                .html(HTML)
                .track(true);
    }

    private static CallbackRequest get(String path, String userAgent) {
        return LinksRuntime.get(path, Map.of("User-Agent", List.of(userAgent)));
    }

    private static final String BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15";

    @Test
    void a_tracked_email_has_its_http_links_rewritten_and_a_pixel_before_the_body_end() {
        MessageId id = acme.send(tracked().build());
        String html = acme.get(id).html();

        List<String> paths = LinksRuntime.paths(html);
        assertThat(paths).hasSize(4);
        assertThat(paths.subList(0, 3)).allMatch(path -> path.startsWith("/c/")).doesNotHaveDuplicates();
        assertThat(html).contains("<a href=\"" + LinksRuntime.BASE + paths.get(0) + "\">Shop</a>",
                "<a class='x' href=\"" + LinksRuntime.BASE + paths.get(1) + "\">Blog</a>",
                "<A HREF=\"" + LinksRuntime.BASE + paths.get(2) + "\">Upper</A>",
                "<a href=\"mailto:help@acme.example\">", "<a href=\"#top\">", "<a href=\"/relative\">",
                "<a data-href=\"https://acme.example/data\">",
                "<img src=\"" + LinksRuntime.BASE + paths.get(3) + "\" width=\"1\" height=\"1\" alt=\"\"></body>");
        assertThat(paths.get(3)).startsWith("/o/");
        assertThat(html).doesNotContain("shop.acme.example", "acme.example/blog", "acme.example/upper");
        // The text body is sent as it is.
        assertThat(acme.get(id).text()).isEqualTo("Shop at https://shop.acme.example/spring");
    }

    @Test
    void without_a_body_end_the_pixel_goes_at_the_end() {
        MessageId id = acme.send(tracked().html("<p>Hi <a href=\"https://acme.example/\">there</a></p>").build());

        assertThat(acme.get(id).html()).matches("<p>Hi <a href=\"" + LinksRuntime.BASE
                + "/c/[A-Za-z0-9_-]+\">there</a></p><img src=\"" + LinksRuntime.BASE
                + "/o/[A-Za-z0-9_-]+\" width=\"1\" height=\"1\" alt=\"\">");
    }

    @Test
    void an_email_is_tracked_only_when_it_asks_and_its_tenant_is_tracked() {
        MessageId untracked = acme.send(tracked().track(false).build());
        MessageId otherTenant = runtime.email("globex").send(tracked().build());

        assertThat(acme.get(untracked).html()).isEqualTo(HTML);
        assertThat(runtime.email("globex").get(otherTenant).html()).isEqualTo(HTML);
        assertThat(acme.engagements(untracked)).isEmpty();
    }

    @Test
    void a_templated_body_is_tracked_as_rendered() {
        acme.templates().save("spring", "Spring, {{name}}", "Hi {{name}}",
                "<body><a href=\"https://acme.example/{{name}}\">Go</a></body>");
        MessageId id = acme.send(EmailMessage.builder().from("news@acme.example").to("ada@example.com")
                .template("spring", Map.of("name", "ada")).track(true).build());

        String click = LinksRuntime.paths(acme.get(id).html()).get(0);
        assertThat(runtime.handle(get(click, BROWSER)).headers()).containsEntry("Location", "https://acme.example/ada");
    }

    @Test
    void open_and_click_links_answer_only_get() {
        MessageId id = acme.send(tracked().build());
        List<String> paths = LinksRuntime.paths(acme.get(id).html());

        for (String path : List.of(paths.get(0), paths.get(3))) {
            CallbackResponse post = runtime.handle(LinksRuntime.post(path, "text/plain", ""));
            assertThat(post.status()).isEqualTo(405);
            assertThat(post.headers()).containsEntry("Allow", "GET");
        }
        assertThat(acme.engagements(id)).isEmpty();
    }

    @Test
    void each_tenant_signs_with_a_random_key_of_its_own_stored_sealed() {
        acme.send(tracked().build());
        runtime.email("beta").send(tracked().build());

        List<String> sealed = TestRows.column(runtime.database,
                "SELECT sealed_key FROM irisx_email_link_keys ORDER BY tenant_id");
        assertThat(sealed).hasSize(2).allMatch(value -> value.startsWith("irisx:v1:k1:"));
        assertThat(runtime.irisx.sealer().open(sealed.get(0), "tenant:acme/email-link-key"))
                .isNotEqualTo(runtime.irisx.sealer().open(sealed.get(1), "tenant:beta/email-link-key"))
                .hasSize(43);
    }

    @Test
    void a_tracked_email_has_one_recipient() {
        assertThatThrownBy(() -> tracked().bcc("audit@acme.example").build())
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("track");
                    assertThat(e.getMessage()).contains("2 recipients");
                });
    }

    @Test
    void a_click_redirects_to_the_stored_link_only_and_counts_once_per_recipient_and_link() {
        MessageId id = acme.send(tracked().build());
        List<String> paths = LinksRuntime.paths(acme.get(id).html());

        CallbackResponse first = runtime.handle(get(paths.get(0), BROWSER));
        // The request cannot name where it goes: a query is ignored.
        CallbackResponse again = runtime.handle(new CallbackRequest("GET", "/email" + paths.get(0),
                "url=https%3A%2F%2Fevil.example%2F&to=https://evil.example", Map.of(), new byte[0], ""));
        CallbackResponse blog = runtime.handle(get(paths.get(1), BROWSER));

        assertThat(first.status()).isEqualTo(302);
        assertThat(first.headers()).containsEntry("Location", "https://shop.acme.example/spring?utm=news&id=7")
                .containsEntry("Cache-Control", "no-store");
        assertThat(again.headers()).containsEntry("Location", "https://shop.acme.example/spring?utm=news&id=7");
        assertThat(blog.headers()).containsEntry("Location", "http://acme.example/blog");

        List<Event> clicks = runtime.events(EventType.EMAIL_CLICKED);
        assertThat(clicks).hasSize(2);
        assertThat(clicks.get(0).data()).contains("\"link\":\"https://shop.acme.example/spring?utm=news&id=7\"",
                "\"recipient\":\"ada@example.com\"", "\"linkIndex\":0");
        assertThat(acme.history(id)).filteredOn(change -> change.event() == EventType.EMAIL_CLICKED)
                .extracting(StatusChange::id).containsExactly(clicks.get(0).id(), clicks.get(1).id());
        assertThat(acme.engagements(id)).containsExactly(
                new Engagement(Engagement.Kind.CLICK, "ada@example.com", 0,
                        "https://shop.acme.example/spring?utm=news&id=7", false, MessagingFixture.START,
                        MessagingFixture.START, 2),
                new Engagement(Engagement.Kind.CLICK, "ada@example.com", 1, "http://acme.example/blog", false,
                        MessagingFixture.START, MessagingFixture.START, 1));
    }

    @Test
    void a_tampered_click_token_is_refused_and_changes_nothing() {
        MessageId id = acme.send(tracked().build());
        String token = LinksRuntime.paths(acme.get(id).html()).get(0).substring(3);

        for (String tampered : List.of(EmailUnsubscribeTest.flip(token, 12), EmailUnsubscribeTest.flip(token, 40),
                token.substring(0, token.length() - 2))) {
            CallbackResponse response = runtime.handle(get("/c/" + tampered, BROWSER));
            assertThat(response.status()).as(tampered).isEqualTo(403);
            assertThat(response.headers()).doesNotContainKey("Location");
        }
        assertThat(runtime.events(EventType.EMAIL_CLICKED)).isEmpty();
        assertThat(acme.engagements(id)).isEmpty();
    }

    @Test
    void opens_are_counted_once_per_recipient_and_answered_with_an_uncached_transparent_pixel() throws Exception {
        MessageId id = acme.send(tracked().build());
        String open = LinksRuntime.paths(acme.get(id).html()).get(3);

        CallbackResponse pixel = runtime.handle(get(open, BROWSER));
        runtime.clock.advance(Duration.ofMinutes(5));
        runtime.handle(get(open, BROWSER));
        runtime.handle(get(open, BROWSER));

        assertThat(pixel.status()).isEqualTo(200);
        assertThat(pixel.headers()).containsEntry("Content-Type", "image/gif")
                .containsEntry("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0")
                .containsEntry("Pragma", "no-cache").containsEntry("Expires", "0");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(pixel.body()));
        assertThat(image.getWidth()).isEqualTo(1);
        assertThat(image.getHeight()).isEqualTo(1);
        assertThat(image.getRGB(0, 0) >>> 24).as("alpha").isZero();

        assertThat(runtime.events(EventType.EMAIL_OPENED)).singleElement().satisfies(event ->
                assertThat(event.data()).contains("\"machine\":false", "\"recipient\":\"ada@example.com\""));
        assertThat(acme.history(id)).filteredOn(change -> change.event() == EventType.EMAIL_OPENED)
                .singleElement().satisfies(change -> assertThat(change.detail()).isEqualTo("opened"));
        assertThat(acme.engagements(id)).containsExactly(new Engagement(Engagement.Kind.OPEN, "ada@example.com", -1,
                "", false, MessagingFixture.START, MessagingFixture.START.plus(Duration.ofMinutes(5)), 3));
    }

    @Test
    void an_open_by_a_known_prefetching_proxy_is_a_machine_open_counted_apart() {
        MessageId id = acme.send(tracked().build());
        String open = LinksRuntime.paths(acme.get(id).html()).get(3);
        List<Map<String, List<String>>> machines = List.of(
                Map.of("User-Agent", List.of("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0"
                        + " (via ggpht.com GoogleImageProxy)")),
                Map.of("User-Agent", List.of("YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html")),
                Map.of("Sec-Purpose", List.of("prefetch")),
                Map.of("Purpose", List.of("prefetch")),
                Map.of("X-Moz", List.of("prefetch")));

        for (Map<String, List<String>> headers : machines) {
            assertThat(runtime.handle(LinksRuntime.get(open, headers)).status()).isEqualTo(200);
        }
        runtime.handle(get(open, BROWSER));

        List<Event> opens = runtime.events(EventType.EMAIL_OPENED);
        assertThat(opens).hasSize(2);
        assertThat(opens.get(0).data()).contains("\"machine\":true");
        assertThat(opens.get(1).data()).contains("\"machine\":false");
        assertThat(acme.history(id)).filteredOn(change -> change.event() == EventType.EMAIL_OPENED)
                .extracting(StatusChange::detail)
                .containsExactly("opened by a machine (GoogleImageProxy)", "opened");
        assertThat(acme.engagements(id)).extracting(Engagement::machine, Engagement::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(false, 1L),
                        org.assertj.core.groups.Tuple.tuple(true, 5L));
    }

    @Test
    void another_tenants_token_cannot_reach_an_email() {
        MessageId acmeEmail = acme.send(tracked().build());
        EmailClient beta = runtime.email("beta");
        MessageId betaEmail = beta.send(tracked().build());
        String betaOpen = LinksRuntime.paths(beta.get(betaEmail).html()).get(3).substring(3);

        // Beta's token with acme's tenant and email spliced in keeps beta's signature: refused.
        String spliced = LinkTokens.splice(betaOpen, "acme", acmeEmail.value());
        assertThat(runtime.handle(get("/o/" + spliced, BROWSER)).status()).isEqualTo(403);
        // A token beta's key signs names beta: with acme's email id it finds no email of beta's.
        String betaSigned = new LinkToken(LinkToken.Purpose.OPEN, TenantId.of("beta"), acmeEmail, 0, 0)
                .sign(runtime.keys());
        assertThat(runtime.handle(get("/o/" + betaSigned, BROWSER)).status()).isEqualTo(404);
        // A tenant that never signed a token has no key: refused.
        String unknown = LinkTokens.splice(betaOpen, "zeta", betaEmail.value());
        assertThat(runtime.handle(get("/o/" + unknown, BROWSER)).status()).isEqualTo(403);

        assertThat(acme.engagements(acmeEmail)).isEmpty();
        assertThat(acme.history(acmeEmail)).hasSize(1);
        assertThat(beta.engagements(betaEmail)).isEmpty();
        assertThat(runtime.events(EventType.EMAIL_OPENED)).isEmpty();
    }
}
