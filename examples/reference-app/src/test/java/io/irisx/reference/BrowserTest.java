package io.irisx.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console ({@code /console/}) and the customer portal ({@code /portal/}) in headless Chromium (Debian's
 * {@code chromium} and {@code chromedriver}, driven by Selenium's WebDriver) against the running app on loopback,
 * with Postmark, Twilio and a customer's webhook receivers served by {@link LocalApis}: signing in with the admin
 * token, sending an email and reading its history in the log, watching a failing webhook attempt and retrying it,
 * creating and revoking an API key, reading a chart's data, every page rendering, every list paged through its
 * cursor, each page's buttons and forms working on the API's state (a dead letter purged, an endpoint disabled,
 * enabled and its failure recovered, an address suppressed and let go, credit topped up and adjusted, a portal link
 * opened, signing out); and, in the portal, an endpoint added, edited, disabled, enabled and deleted, its secret
 * rotated, a test event's attempt inspected and the message sent again, and a portal token of one tenant seeing and
 * changing nothing of another. A screenshot of each page is kept under {@code target/screenshots/}.
 */
class BrowserTest extends RunningApp {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", ".."), "target", "screenshots");

    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        for (String program : List.of("/usr/bin/chromium", "/usr/bin/chromedriver")) {
            if (!Files.isExecutable(Path.of(program))) {
                throw new IllegalStateException(program + " is missing: the browser tests need Debian's chromium and "
                        + "chromium-driver (apt-get install -y chromium chromium-driver; scripts/test installs them)");
            }
        }
        Path profile = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("basedir", ".."),
                "target", "chromium")), "profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void an_operator_signs_in_sends_an_email_and_reads_its_history_in_the_log() {
        String tenant = newTenant("console");
        consoleFor(tenant, "messages");

        fill("#send-email", Map.of("from", "ops@acme.example", "to", "reader@example.com", "subject", "From the console"));
        browser.findElement(By.cssSelector("#send-email button")).click();
        String accepted = waitFor(ExpectedConditions.textMatches(By.id("status"),
                java.util.regex.Pattern.compile("Email msg_\\S+ accepted"))) ? text("#status").split(" ")[1] : null;
        await().atMost(WAIT).ignoreExceptionsInstanceOf(StaleElementReferenceException.class).until(() -> {
            browser.findElement(By.cssSelector("#filters button")).click();
            return text("[data-testid=messages]").contains(accepted) && text("[data-testid=messages]").contains("SENT");
        });
        row("[data-testid=messages]", accepted).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=history]"), "SENT"));
        assertThat(text("[data-testid=history]")).contains("QUEUED", "SENT");
        assertThat(text("#message")).contains("From the console", "reader@example.com");

        new Select(browser.findElement(By.cssSelector("#filters select[name=status]"))).selectByValue("BOUNCED");
        browser.findElement(By.cssSelector("#filters button")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=messages]"),
                "Nothing yet"));
        screenshot("messages");

        String key = key(tenant, "sms:send", "sms:read");
        String sms = post("/v1/sms", key, Map.of("to", "07400 123456", "from", "+447400654321", "body", "Logged"))
                .json().path("id").asText();
        await().atMost(WAIT).until(() -> get("/v1/sms/" + sms, key).json().path("status").asText().equals("SENT"));
        page("messages?channel=sms", "[data-testid=messages]");
        row("[data-testid=messages]", sms).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=history]"), "SENT"));
        assertThat(text("#message")).contains("+447400123456", "Logged");
        // The filters go to the API, which reads a national number as a send does: the stored +447400123456.
        fill("#filters", Map.of("to", "07400 123456"));
        new Select(browser.findElement(By.cssSelector("#filters select[name=status]"))).selectByValue("SENT");
        browser.findElement(By.cssSelector("#filters button")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=messages]"), sms));
        fill("#filters", Map.of("to", "07400 999999"));
        browser.findElement(By.cssSelector("#filters button")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=messages]"),
                "Nothing yet"));
        fill("#filters", Map.of("to", "12345"));
        browser.findElement(By.cssSelector("#filters button")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
                "to: '12345' is not a valid number"));
        screenshot("messages-sms");
        page("messages?channel=calls", "[data-testid=messages]");
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=messages] thead"),
                "Flow"));
        assertThat(text("[data-testid=messages] tbody")).contains("Nothing yet");
        screenshot("messages-calls");
    }

    @Test
    void an_operator_creates_a_key_shown_once_and_revokes_it() {
        String tenant = newTenant("keys");
        consoleFor(tenant, "tenants");

        fill("#new-key-form", Map.of("name", "billing service"));
        browser.findElement(By.cssSelector("#new-key-form input[value='email:read']")).click();
        browser.findElement(By.cssSelector("#new-key-form button")).click();
        String secret = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=key-secret]")))
                .getText();
        assertThat(secret).startsWith("irx_live_");
        assertThat(get("/v1/emails", secret).status()).isEqualTo(200);
        assertThat(text("[data-testid=keys]")).contains("billing service", "email:read").doesNotContain(secret);
        screenshot("tenants");

        row("[data-testid=keys]", "billing service").findElement(By.cssSelector("button[data-revoke]")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "revoked"));
        assertThat(get("/v1/emails", secret).status()).isEqualTo(401);
        assertThat(row("[data-testid=keys]", "billing service").findElements(By.cssSelector("button"))).isEmpty();

        fill("#new-key-form", Map.of("name", "ci pipeline"));
        new Select(browser.findElement(By.cssSelector("#new-key-form select[name=mode]"))).selectByValue("test");
        browser.findElement(By.cssSelector("#new-key-form input[value='sms:read']")).click();
        browser.findElement(By.cssSelector("#new-key-form button")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=key-secret]"),
                "irx_test_"));
        assertThat(row("[data-testid=keys]", "ci pipeline").getText()).contains("TEST", "sms:read");
        assertThat(row("[data-testid=keys]", "billing service").getText()).contains("LIVE");
        String testKey = text("[data-testid=key-secret]");
        assertThat(get("/v1/sms", testKey).status()).isEqualTo(200);
    }

    @Test
    void an_operator_watches_a_failing_webhook_attempt_and_retries_it() {
        String tenant = newTenant("hooks");
        String key = key(tenant, "webhooks:manage");
        String endpoint = post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/down",
                "description", "inventory")).json().path("endpoint").path("id").asText();
        String message = post("/v1/webhooks/endpoints/" + endpoint + "/test", key, null).json().path("id").asText();
        await().atMost(WAIT).until(() -> get("/v1/webhooks/messages/" + message + "/attempts", key).json()
                .path("items").size() == 1);
        consoleFor(tenant, "webhooks");

        // Its one message awaits its next try: no message has finished, so there is no success rate yet.
        assertThat(text("[data-testid=webhook-stats]")).contains("1 attempt,", "success –", "p50 ");
        row("[data-testid=endpoints]", "/hooks/down").click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=webhook-messages]")));
        row("[data-testid=webhook-messages]", message).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=attempts]"), "503"));
        assertThat(text("[data-testid=attempts]")).contains("down for maintenance", APIS.url() + "/hooks/down");
        assertThat(text("#attempts pre")).contains("webhook.test");
        // The request the attempt sent: its headers, signed, shown when opened.
        browser.findElement(By.cssSelector("[data-testid=attempts] summary")).click();
        assertThat(text("[data-testid=attempts] details pre")).contains("webhook-id: " + message,
                "webhook-signature: v1,", "User-Agent: ");

        browser.findElement(By.id("retry")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "retried"));
        await().atMost(WAIT).until(() -> get("/v1/webhooks/messages/" + message + "/attempts", key).json()
                .path("items").size() == 2);
        row("[data-testid=webhook-messages]", message).click();
        await().atMost(WAIT).ignoreExceptionsInstanceOf(StaleElementReferenceException.class).until(() -> browser.findElements(By.cssSelector("[data-testid=attempts] tbody tr"))
                .size() == 2);
        screenshot("webhooks");
    }

    @Test
    void the_analytics_charts_draw_the_days_real_figures() {
        String tenant = newTenant("charts");
        String key = key(tenant, allScopes());
        List<String> ids = List.of("one", "two", "three").stream().map(to -> post("/v1/emails", key, Map.of(
                "from", "a@acme.example", "to", List.of(to + "@example.com"), "subject", "Charted", "text", "x"))
                .json().path("id").asText()).toList();
        String sms = post("/v1/sms", key, Map.of("to", "07400 123456", "from", "+447400654321", "body", "Hi"))
                .json().path("id").asText();
        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> get("/v1/emails/" + id, key).json()
                .path("status").asText().equals("SENT")) && get("/v1/sms/" + sms, key).json().path("status").asText()
                .equals("SENT"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        double revenue = get("/v1/usage/cost?from=" + today + "&to=" + today, key).json().path("total").asDouble();
        consoleFor(tenant, "analytics");

        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                "section.page[data-tenant='" + tenant + "'] figure[data-chart=revenue] canvas")));
        List<?> sends = (List<?>) script("return window.irisxCharts.sends.data");
        assertThat((List<?>) sends.get(0)).hasSize(14);
        List<?> email = (List<?>) sends.get(1);
        assertThat(((Number) email.get(13)).longValue()).isEqualTo(3);
        assertThat(((Number) email.get(0)).longValue()).isZero();
        List<?> revenueSeries = (List<?>) ((List<?>) script("return window.irisxCharts.revenue.data")).get(1);
        assertThat(((Number) revenueSeries.get(13)).doubleValue()).isEqualTo(revenue).isPositive();
        assertThat(((Number) ((List<?>) sends.get(2)).get(13)).longValue()).isEqualTo(1);
        List<?> complaints = (List<?>) script("return window.irisxCharts.complaints.data");
        assertThat(((Number) ((List<?>) complaints.get(1)).get(13)).doubleValue()).isZero();
        assertThat(((Number) ((List<?>) complaints.get(2)).get(0)).doubleValue()).isEqualTo(0.001);
        assertThat(((Number) ((List<?>) complaints.get(3)).get(0)).doubleValue()).isEqualTo(0.003);
        assertThat(browser.findElements(By.cssSelector("figure.chart canvas"))).hasSize(8);
        // uPlot's script and stylesheet both come from its WebJar, at the version the build wrote in for the pom's.
        assertThat(script("return [...document.styleSheets].filter(s => s.href && s.href.includes('/webjars/uplot/'))"
                + ".map(s => s.href.replace(/.*\\/webjars\\/uplot\\/([^/]+)\\/.*/, '$1') + ' ' + s.cssRules.length)"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).singleElement().asString()
                .matches("\\d+\\.\\d+\\.\\d+ [1-9]\\d*");
        assertThat(text("figure[data-chart=sms-delivery] figcaption")).isEqualTo("SMS delivery rate (0 finished messages read)");
        // The revenue axis tells small amounts apart (a fraction of a cent per message), and shows cents at least.
        String revenueChart = "const c = window.irisxCharts.revenue; ";
        assertThat(script(revenueChart + "return c.axes[1].values(c, [0, 0.0005, 0.001, 0.0015]);"))
                .isEqualTo(List.of("0.0000", "0.0005", "0.0010", "0.0015"));
        assertThat(script(revenueChart + "return c.axes[1].values(c, [0, 0.25, 0.5]);"))
                .isEqualTo(List.of("0.00", "0.25", "0.50"));
        assertThat(script(revenueChart + "return [c.series[1].value(c, 0.0042), c.series[1].value(c, 12.5)];"))
                .isEqualTo(List.of("0.0042", "12.50"));
        screenshot("analytics");
    }

    @Test
    void every_other_page_renders_the_tenants_figures() {
        String tenant = newTenant("pages");
        String key = key(tenant, allScopes());
        String id = post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("p@example.com"),
                "subject", "Paged", "text", "x")).json().path("id").asText();
        String sms = post("/v1/sms", key, Map.of("to", "07400 123456", "from", "+447400654321", "body", "Hi"))
                .json().path("id").asText();
        await().atMost(WAIT).until(() -> get("/v1/emails/" + id, key).json().path("status").asText().equals("SENT")
                && get("/v1/sms/" + sms, key).json().path("status").asText().equals("SENT"));
        post("/v1/email/suppressions/transactional", key, Map.of("address", "gone@example.com", "note", "asked"));
        String refused;
        APIS.postmarkRefusing(true);
        try {
            refused = post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("r@example.com"),
                    "subject", "Refused", "text", "x")).json().path("id").asText();
            await().atMost(WAIT).until(() -> get("/v1/emails/" + refused, key).json().path("status").asText()
                    .equals("FAILED"));
        } finally {
            APIS.postmarkRefusing(false);
        }
        await().atMost(WAIT).until(() -> get("/v1/dead-letters/email", key).json().path("items").size() == 1);
        post("/admin/tenants/" + tenant + "/credit/top-ups", ADMIN_TOKEN, Map.of("amount", 25, "reference", "po-7"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        java.math.BigDecimal total = get("/v1/usage/cost?from=" + today + "&to=" + today, key).json().path("total")
                .decimalValue();

        consoleFor(tenant, "usage");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=daily-usage]")));
        String heading = text("section.page h2");
        assertThat(heading).endsWith(" USD");
        assertThat(new java.math.BigDecimal(heading.replaceAll(".*: (\\S+) USD", "$1"))).isPositive()
                .isEqualByComparingTo(total);
        assertThat(text("[data-testid=daily-usage]")).contains(today, "EMAIL", "SMS_SEGMENT");
        assertThat(text("[data-testid=cost]")).contains("EMAIL", "SMS_SEGMENT");
        screenshot("usage");

        page("suppressions", "[data-testid=suppressions]");
        assertThat(text("[data-testid=suppressions]")).contains("gone@example.com");
        screenshot("suppressions");

        page("billing", "[data-testid=ledger]");
        assertThat(text("[data-testid=ledger]")).contains("po-7", "25");
        assertThat(text("[data-testid=balance]")).contains("balance");
        screenshot("billing");

        page("dead-letters", "[data-testid=dead-letters]");
        row("[data-testid=dead-letters]", refused).click();
        assertThat(text("[data-testid=dead-letters]")).contains("406");
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("section.page pre")));
        screenshot("dead-letters");
        row("[data-testid=dead-letters]", refused).findElement(By.xpath(".//button[text()='Replay']")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "replayed"));
        // The replayed email is FAILED already: its worker settles the replayed work and sends nothing again.
        await().atMost(WAIT).until(() -> get("/v1/dead-letters/email", key).json().path("items").isEmpty());
        page("dead-letters", "[data-testid=dead-letters]");
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=dead-letters]"),
                "Nothing yet"));
    }

    @Test
    void a_portal_token_shows_its_tenants_endpoints_and_nothing_of_another() {
        String a = newTenant("portal-a");
        String b = newTenant("portal-b");
        String keyA = key(a, "webhooks:manage");
        String keyB = key(b, "webhooks:manage");
        post("/v1/webhooks/endpoints", keyA, Map.of("url", APIS.url() + "/hooks/ok?tenant=a", "description", "A's"));
        String endpointB = post("/v1/webhooks/endpoints", keyB, Map.of("url", APIS.url() + "/hooks/ok?tenant=b",
                "description", "B's")).json().path("endpoint").path("id").asText();
        String token = post("/admin/tenants/" + a + "/portal-tokens", ADMIN_TOKEN, Map.of("ttlSeconds", 600)).json()
                .path("token").asText();

        portal(token);
        assertThat(text("[data-testid=endpoints]")).contains("tenant=a").doesNotContain("tenant=b");
        assertThat(browser.getCurrentUrl()).doesNotContain(token);
        assertThat(text("[data-testid=event-types]")).contains("email.sent");

        row("[data-testid=endpoints]", "tenant=a").click();
        waitFor(ExpectedConditions.elementToBeClickable(By.id("rotate"))).click();
        assertThat(waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=secret]")))
                .getText()).startsWith("whsec_");
        browser.findElement(By.id("send-test")).click();
        row("[data-testid=messages]", "webhook.test").click();
        await().atMost(WAIT).ignoreExceptionsInstanceOf(StaleElementReferenceException.class).until(() -> {
            row("[data-testid=messages]", "webhook.test").click();
            return text("[data-testid=attempts]").contains("204");
        });
        browser.findElement(By.id("replay")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Sent again"));
        await().atMost(WAIT).ignoreExceptionsInstanceOf(StaleElementReferenceException.class).until(() -> {
            row("[data-testid=messages]", "webhook.test").click();
            return browser.findElements(By.cssSelector("[data-testid=attempts] tbody tr")).size() == 2;
        });
        screenshot("portal");

        // The page's own credential, asked for tenant B's endpoint even with the admin's tenant header: not found.
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/v1/webhooks/endpoints/" + endpointB + "', {headers: {Authorization: 'Bearer ' "
                + "+ sessionStorage.getItem('irisx.portal'), 'Irisx-Tenant': '" + b + "'}}).then(r => done(r.status));");
        assertThat(((Number) status).intValue()).isEqualTo(404);
        for (String change : List.of("{method: 'PATCH', body: JSON.stringify({description: 'taken over'}), ",
                "{method: 'POST', path: '/disable', ", "{method: 'POST', path: '/enable', ")) {
            Object refused = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "const change = " + change + "headers: {Authorization: 'Bearer ' + sessionStorage.getItem('irisx.portal'),"
                    + " 'Content-Type': 'application/json'}};"
                    + "fetch('/v1/webhooks/endpoints/" + endpointB + "' + (change.path || ''), change)"
                    + ".then(r => done(r.status));");
            assertThat(((Number) refused).intValue()).as(change).isEqualTo(404);
        }
        com.fasterxml.jackson.databind.JsonNode untouched = get("/v1/webhooks/endpoints/" + endpointB, keyB).json();
        assertThat(untouched.path("url").asText()).endsWith("tenant=b");
        assertThat(untouched.path("description").asText()).isEqualTo("B's");
        assertThat(untouched.path("disabled").asBoolean()).isFalse();
        Object keys = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/admin/tenants/" + b + "/api-keys', {headers: {Authorization: 'Bearer ' "
                + "+ sessionStorage.getItem('irisx.portal')}}).then(r => done(r.status));");
        assertThat(((Number) keys).intValue()).isEqualTo(401);
    }

    @Test
    void every_console_list_pages_through_its_rows_with_the_next_cursor() {
        String tenant = newTenant("paging");
        String key = key(tenant, allScopes());
        List<String> emails;
        APIS.postmarkRefusing(true);
        try {
            emails = List.of("one", "two", "three").stream().map(to -> post("/v1/emails", key, Map.of(
                    "from", "a@acme.example", "to", List.of(to + "@example.com"), "subject", "Paged", "text", "x"))
                    .json().path("id").asText()).toList();
            await().atMost(WAIT).until(() -> get("/v1/dead-letters/email", key).json().path("items").size() == 3);
        } finally {
            APIS.postmarkRefusing(false);
        }
        List<String> sms = List.of("1", "2", "3").stream().map(n -> post("/v1/sms", key, Map.of(
                "to", "07400 12345" + n, "from", "+447400654321", "body", "Paged " + n)).json().path("id").asText())
                .toList();
        List<String> calls = List.of("1", "2", "3").stream().map(n -> post("/v1/calls", key, Map.of(
                "to", "+44740012346" + n, "from", "+442079460123", "url", "https://hooks.acme.example/twiml/" + n))
                .json().path("id").asText()).toList();
        List<String> endpoints = List.of("?n=1", "?n=2", "?n=3");
        endpoints.forEach(n -> post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/ok" + n)));
        List<String> suppressed = List.of("ann@example.com", "bob@example.com", "cy@example.com");
        suppressed.forEach(a -> post("/v1/email/suppressions/transactional", key, Map.of("address", a)));
        List<String> topUps = List.of("po-1", "po-2", "po-3");
        topUps.forEach(r -> post("/admin/tenants/" + tenant + "/credit/top-ups", ADMIN_TOKEN,
                Map.of("amount", 5, "reference", r)));

        consoleFor(tenant, "messages");
        // The message logs are newest first: the next page holds the older messages.
        pagesThrough("messages?channel=email", "messages", newestFirst(emails));
        pagesThrough("messages?channel=sms", "messages", newestFirst(sms));
        pagesThrough("messages?channel=calls", "messages", newestFirst(calls));
        // Dead letters, endpoints and the ledger are oldest first, suppressions by address.
        pagesThrough("dead-letters?channel=email", "dead-letters", emails);
        pagesThrough("webhooks", "endpoints", endpoints);
        pagesThrough("suppressions", "suppressions", suppressed);
        pagesThrough("billing", "ledger", topUps);
        // Without a limit, each list shows its usual page: all three rows, no next page.
        page("billing", "[data-testid=ledger]");
        waitFor(driver -> text("[data-testid=ledger]").contains("po-3"));
        assertThat(text("[data-testid=ledger]")).contains("po-1", "po-2");
        assertThat(browser.findElement(By.cssSelector("[data-pager=ledger] [data-paging=next]")).isEnabled()).isFalse();
    }

    @Test
    void an_operator_purges_a_dead_letter_disables_enables_and_recovers_an_endpoint() {
        String tenant = newTenant("actions");
        String key = key(tenant, allScopes());
        String refused;
        APIS.postmarkRefusing(true);
        try {
            refused = post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("r@example.com"),
                    "subject", "Refused", "text", "x")).json().path("id").asText();
            await().atMost(WAIT).until(() -> get("/v1/dead-letters/email", key).json().path("items").size() == 1);
        } finally {
            APIS.postmarkRefusing(false);
        }
        String endpoint = post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/ok?actions",
                "description", "orders")).json().path("endpoint").path("id").asText();

        consoleFor(tenant, "dead-letters");
        row("[data-testid=dead-letters]", refused).findElement(By.xpath(".//button[text()='Purge']")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Message " + refused + " purged"));
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=dead-letters]"),
                "Nothing yet"));
        assertThat(get("/v1/dead-letters/email", key).json().path("items")).isEmpty();
        assertThat(get("/v1/emails/" + refused, key).json().path("status").asText()).isEqualTo("FAILED");

        // Disabled, the endpoint's test event fails without an attempt; enabled again, recovery delivers it.
        page("webhooks", "[data-testid=endpoints]");
        row("[data-testid=endpoints]", "?actions").click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("toggle"), "Disable"));
        browser.findElement(By.id("toggle")).click();
        waitFor(driver -> row("[data-testid=endpoints]", "?actions").getText().contains("disabled: disabled through the API"));
        assertThat(get("/v1/webhooks/endpoints/" + endpoint, key).json().path("disabled").asBoolean()).isTrue();
        row("[data-testid=endpoints]", "?actions").click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("toggle"), "Enable"));
        browser.findElement(By.id("send-test")).click();
        waitFor(ExpectedConditions.textMatches(By.id("status"), java.util.regex.Pattern.compile("Test event msg_\\S+ queued")));
        String test = text("#status").split(" ")[2];
        await().atMost(WAIT).until(() -> get("/v1/webhooks/messages/" + test, key).json().path("status").asText()
                .equals("FAILED"));
        waitFor(ExpectedConditions.elementToBeClickable(By.id("toggle"))).click();
        waitFor(driver -> !row("[data-testid=endpoints]", "?actions").getText().contains("disabled"));
        assertThat(get("/v1/webhooks/endpoints/" + endpoint, key).json().path("disabled").asBoolean()).isFalse();
        row("[data-testid=endpoints]", "?actions").click();
        waitFor(ExpectedConditions.elementToBeClickable(By.id("recover"))).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
                "1 failed message of the last 24 h queued again"));
        await().atMost(WAIT).until(() -> get("/v1/webhooks/messages/" + test, key).json().path("status").asText()
                .equals("SUCCEEDED"));
    }

    @Test
    void an_operator_suppresses_and_lets_go_an_address_tops_up_adjusts_opens_a_portal_link_and_signs_out() {
        String tenant = newTenant("forms");
        String key = key(tenant, allScopes());
        post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/ok?forms", "description", "theirs"));

        consoleFor(tenant, "suppressions");
        fill("#suppress", Map.of("address", "held@example.com", "note", "asked by phone"));
        browser.findElement(By.cssSelector("#suppress button")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=suppressions]"),
                "held@example.com"));
        assertThat(get("/v1/email/suppressions/transactional/held@example.com", key).status()).isEqualTo(200);
        row("[data-testid=suppressions]", "held@example.com").findElement(By.xpath(".//button[text()='Remove']"))
                .click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=suppressions]"),
                "Nothing yet"));
        assertThat(get("/v1/email/suppressions/transactional/held@example.com", key).status()).isEqualTo(404);

        page("billing", "[data-testid=ledger]");
        fill("#top-up", Map.of("amount", "12.50", "reference", "po-12"));
        browser.findElement(By.cssSelector("#top-up button")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=ledger]"), "po-12"));
        fill("#adjust", Map.of("amount", "-2.25", "reference", "fix-1", "reason", "goodwill"));
        browser.findElement(By.cssSelector("#adjust button")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=ledger]"), "fix-1"));
        assertThat(new java.math.BigDecimal(get("/admin/tenants/" + tenant + "/billing", ADMIN_TOKEN).json()
                .path("balance").path("balance").asText())).isEqualByComparingTo("10.25");
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=balance]"),
                "balance 10.25"));

        page("tenants", "[data-testid=keys]");
        browser.findElement(By.id("portal-token")).click();
        WebElement link = waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("#portal-link a")));
        String console = browser.getWindowHandle();
        link.click();
        waitFor(driver -> driver.getWindowHandles().size() == 2);
        browser.switchTo().window(browser.getWindowHandles().stream().filter(w -> !w.equals(console)).findFirst()
                .orElseThrow());
        try {
            waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=endpoints]"),
                    "?forms"));
            assertThat(browser.getCurrentUrl()).doesNotContain("irxp_");
        } finally {
            browser.close();
            browser.switchTo().window(console);
        }

        browser.findElement(By.id("sign-out")).click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("login")));
        assertThat(script("return sessionStorage.getItem('irisx.admin')")).isNull();
        assertThat(browser.findElements(By.id("tenant"))).isEmpty();
        screenshot("login");
        // A wrong token is refused at the sign-in form, and nothing is kept.
        fill("#login", Map.of("token", "not-the-admin-token"));
        browser.findElement(By.cssSelector("#login button")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Authentication required"));
        assertThat(script("return sessionStorage.getItem('irisx.admin')")).isNull();
    }

    @Test
    void a_customer_adds_edits_disables_enables_and_deletes_an_endpoint_in_the_portal() {
        String tenant = newTenant("portal-edit");
        String key = key(tenant, "webhooks:manage");
        String token = post("/admin/tenants/" + tenant + "/portal-tokens", ADMIN_TOKEN, Map.of("ttlSeconds", 600))
                .json().path("token").asText();
        portal(token);
        assertThat(text("[data-testid=endpoints]")).contains("Nothing yet");

        fill("#new-endpoint", Map.of("url", APIS.url() + "/hooks/ok?shop=1", "description", "orders"));
        browser.findElement(By.cssSelector("#new-endpoint input[value='email.sent']")).click();
        browser.findElement(By.cssSelector("#new-endpoint button")).click();
        assertThat(waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=secret]")))
                .getText()).startsWith("whsec_");
        assertThat(row("[data-testid=endpoints]", "shop=1").getText()).contains("orders", "email.sent", "active");
        com.fasterxml.jackson.databind.JsonNode added = get("/v1/webhooks/endpoints", key).json().path("items").get(0);
        String id = added.path("id").asText();
        assertThat(added.path("eventTypes").toString()).isEqualTo("[\"email.sent\"]");

        row("[data-testid=endpoints]", "shop=1").click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#edit-endpoint")));
        assertThat(browser.findElement(By.cssSelector("#edit-endpoint input[value='email.sent']")).isSelected()).isTrue();
        fill("#edit-endpoint", Map.of("url", APIS.url() + "/hooks/ok?shop=2"));
        browser.findElement(By.cssSelector("#edit-endpoint input[value='email.sent']")).click();
        browser.findElement(By.cssSelector("#edit-endpoint input[value='email.bounced']")).click();
        browser.findElement(By.cssSelector("#edit-endpoint input[value='email.delivered']")).click();
        browser.findElement(By.cssSelector("#edit-endpoint button")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "shop=2 saved"));
        com.fasterxml.jackson.databind.JsonNode edited = get("/v1/webhooks/endpoints/" + id, key).json();
        assertThat(edited.path("url").asText()).endsWith("/hooks/ok?shop=2");
        assertThat(edited.path("eventTypes").toString()).contains("email.delivered", "email.bounced")
                .doesNotContain("email.sent");
        assertThat(row("[data-testid=endpoints]", "shop=2").getText()).contains("email.delivered")
                .doesNotContain("email.sent");
        screenshot("portal-edit");

        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("toggle"), "Disable"));
        browser.findElement(By.id("toggle")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "disabled"));
        assertThat(get("/v1/webhooks/endpoints/" + id, key).json().path("disabledReason").asText())
                .isEqualTo("disabled in the portal");
        assertThat(row("[data-testid=endpoints]", "shop=2").getText()).contains("disabled");
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("toggle"), "Enable"));
        browser.findElement(By.id("toggle")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "enabled"));
        assertThat(get("/v1/webhooks/endpoints/" + id, key).json().path("disabled").asBoolean()).isFalse();
        assertThat(row("[data-testid=endpoints]", "shop=2").getText()).contains("active");

        browser.findElement(By.id("delete")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "deleted"));
        assertThat(text("[data-testid=endpoints]")).contains("Nothing yet");
        assertThat(get("/v1/webhooks/endpoints/" + id, key).status()).isEqualTo(404);
    }

    /**
     * The list {@code list} of the console's {@code page}, two rows a page ({@code limit=2}), of three rows in all
     * ({@code rows}, in the list's order): the first page shows the first two, "Next page" the third alone and no
     * next page, "Previous page" the first two again.
     */
    private void pagesThrough(String page, String list, List<String> rows) {
        page(page + (page.contains("?") ? "&" : "?") + "limit=2", "[data-pager=" + list + "]");
        String table = "[data-pager=" + list + "] [data-testid=" + list + "]";
        String controls = "[data-pager=" + list + "] [data-paging=";
        waitFor(driver -> text(table).contains(rows.get(0)) && text(table).contains(rows.get(1)));
        assertThat(text(table)).doesNotContain(rows.get(2));
        assertThat(browser.findElement(By.cssSelector(controls + "previous]")).isEnabled()).isFalse();
        browser.findElement(By.cssSelector(controls + "next]")).click();
        waitFor(driver -> text(table).contains(rows.get(2)));
        assertThat(text(table)).doesNotContain(rows.get(0)).doesNotContain(rows.get(1));
        assertThat(text(controls + "page]")).isEqualTo("Page 2");
        assertThat(browser.findElement(By.cssSelector(controls + "next]")).isEnabled()).isFalse();
        browser.findElement(By.cssSelector(controls + "previous]")).click();
        waitFor(driver -> text(table).contains(rows.get(0)) && text(table).contains(rows.get(1)));
        assertThat(text(controls + "page]")).isEqualTo("Page 1");
    }

    private static List<String> newestFirst(List<String> oldestFirst) {
        List<String> ids = new java.util.ArrayList<>(oldestFirst);
        java.util.Collections.reverse(ids);
        return ids;
    }

    /** The console on {@code page}, signed in with the admin token through the sign-in form, {@code tenant} picked. */
    private void consoleFor(String tenant, String page) {
        browser.get(base() + "/console/#/" + page);
        waitFor(driver -> {
            if (!driver.findElements(By.id("login")).isEmpty()) {
                fill("#login", Map.of("token", ADMIN_TOKEN));
                driver.findElement(By.cssSelector("#login button")).click();
                return false;
            }
            Select picker = new Select(driver.findElement(By.id("tenant")));
            if (!tenant.equals(picker.getFirstSelectedOption().getAttribute("value"))) {
                picker.selectByValue(tenant);
                return false;
            }
            return !driver.findElements(By.cssSelector("section.page[data-page='" + page + "'] > *")).isEmpty();
        });
    }

    /**
     * The portal opened with {@code token}'s link, its endpoints drawn. The page takes the token out of the address
     * as it starts drawing with it, so a portal page already open (whose link only changes the fragment) is redrawn.
     */
    private void portal(String token) {
        browser.get(base() + "/portal/#token=" + token);
        waitFor(driver -> !driver.getCurrentUrl().contains(token));
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=endpoints]")));
    }

    private void page(String page, String awaited) {
        browser.get(base() + "/console/#/" + page);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                "section.page[data-page='" + page.replaceAll("\\?.*", "") + "'] " + awaited)));
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static void fill(String form, Map<String, String> values) {
        values.forEach((name, value) -> {
            WebElement input = browser.findElement(By.cssSelector(form + " [name='" + name + "']"));
            input.clear();
            input.sendKeys(value);
        });
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static WebElement row(String table, String containing) {
        return waitFor(driver -> driver.findElements(By.cssSelector(table + " tbody tr")).stream()
                .filter(row -> row.getText().contains(containing)).findFirst().orElse(null));
    }

    private static Object script(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(condition);
    }

    private static void screenshot(String page) {
        try {
            Files.write(SCREENSHOTS.resolve(page + ".png"),
                    ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
