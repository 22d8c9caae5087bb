package io.irisx.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.messaging.email.ses.SesEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The reference app as it runs, on its embedded defaults (an H2 in a fresh directory, the database outbox),
 * on a free port of loopback, with the email providers, Twilio (SMS and calls) and a customer's webhook receiver
 * served by {@link LocalApis} (and Stripe, its key set here: a subclass that declares its own {@code @SpringBootTest}
 * takes no card payments, nor the email providers' events but Postmark's), SNS's signing certificate by
 * {@link LocalSns}; and a JDK {@link HttpClient} to call it. Every tenant sends email through Postmark but those of
 * {@link #VIA_PROVIDER}, each through its own provider. The test classes extending it share one app, whose
 * {@link RouteRecorder} notes the routes they call (a subclass with its own {@code @SpringBootTest} names it too).
 */
@SpringBootTest(classes = {ReferenceApp.class, RunningApp.Sns.class, RouteRecorder.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.stripe-secret-key=" + RunningApp.STRIPE_KEY,
            "app.sendgrid-webhook-verification-key=" + RunningApp.SENDGRID_VERIFICATION_KEY,
            "app.mailgun-webhook-signing-key=" + RunningApp.MAILGUN_SIGNING_KEY,
            "app.resend-webhook-secret=" + RunningApp.RESEND_SECRET,
            "app.ses-topic-arns=" + LocalSns.TOPIC_ARN,
            "app.elastic-email-webhook-secret=" + RunningApp.ELASTIC_EMAIL_SECRET})
abstract class RunningApp {

    /** The email providers other than Postmark, by IRISX's name, each the only one of the tenant "via-" + its name. */
    static final List<String> VIA_PROVIDER = List.of("sendgrid", "mailgun", "resend", "ses", "elasticemail");
    /** The SendGrid Event Webhook's verification key (a P-256 key made for these tests), and its private key. */
    static final String SENDGRID_VERIFICATION_KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEZ+Lxj/cGUS7QP0x1FZrkC"
            + "yLNqjd5dkO7fZaU/C+46HLlymN1Npf4QjEqyxd7YhCewVADhfsFEc0Hb7sOFlWHhw==";
    static final PrivateKey SENDGRID_SIGNING_KEY = ecPrivateKey("MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCAC"
            + "uYAOn1xF1MWpaYrc4vPfOUqi31coX/ZOQl547lHE1w==");
    static final String MAILGUN_SIGNING_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    static final String RESEND_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ELASTIC_EMAIL_SECRET = "q2Xv9LmT7rB4wK8nZ1pD";
    static final LocalSns SNS = new LocalSns();

    private static PrivateKey ecPrivateKey(String pkcs8) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SNS's certificates, fetched from {@link LocalSns} instead of Amazon's hosts. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Sns {

        @Bean
        SesEvents.Fetcher snsFetcher() {
            return SNS;
        }
    }

    static final String STRIPE_KEY = "sk_test_51LocalApisKey";

    static final String ADMIN_TOKEN = "admin-2f7c1e9a4b6d8f03";
    static final String PUBLIC_URL = "https://api.acme.test";
    static final String STRIPE_WEBHOOK_SECRET = "whsec_9a1f0c3e5b7d2f4a6c8e0b1d3f5a7c9e";
    static final LocalApis APIS = new LocalApis();
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("irisx.data-directory", RunningApp::dataDirectory);
        registry.add("app.admin-token", () -> ADMIN_TOKEN);
        // A subclass may set its own (tests.public-url in its @SpringBootTest properties): dynamic properties outrank
        // those, and a superclass's outrank a subclass's, so this one defers to it.
        registry.add("app.public-url", () -> "${tests.public-url:" + PUBLIC_URL + "}");
        registry.add("app.postmark-webhook-user", () -> "postmark");
        registry.add("app.postmark-webhook-password", () -> "hook-pass-93kd");
        registry.add("app.stripe-webhook-secret", () -> STRIPE_WEBHOOK_SECRET);
        registry.add("app.stripe-api-base", APIS::url);
        registry.add("irisx.email.postmark.server-token", () -> LocalApis.POSTMARK_TOKEN);
        registry.add("irisx.email.postmark.base-url", () -> APIS.url() + "/postmark/");
        registry.add("irisx.email.sendgrid.api-key", () -> "SG.local-apis-key.0123456789abcdef");
        registry.add("irisx.email.sendgrid.base-url", APIS::url);
        registry.add("irisx.email.mailgun.api-key", () -> "local-apis-mailgun-key-0123456789");
        registry.add("irisx.email.mailgun.domain", () -> "mg.acme.example");
        registry.add("irisx.email.mailgun.base-url", () -> APIS.url() + "/mailgun");
        registry.add("irisx.email.resend.api-key", () -> "re_local_apis_key");
        registry.add("irisx.email.resend.base-url", () -> APIS.url() + "/resend/");
        registry.add("irisx.email.elastic-email.api-key", () -> "LOCAL-APIS-ELASTIC-EMAIL-KEY");
        registry.add("irisx.email.elastic-email.base-url", () -> APIS.url() + "/elasticemail/v4");
        registry.add("irisx.email.ses.region", () -> "eu-west-1");
        registry.add("irisx.email.ses.access-key-id", () -> "AKIAIOSFODNN7EXAMPLE");
        registry.add("irisx.email.ses.secret-access-key", () -> "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        registry.add("irisx.email.ses.base-url", APIS::url);
        registry.add("irisx.email.chain", () -> "postmark");
        for (String provider : VIA_PROVIDER) {
            registry.add("irisx.email.tenant-chains.via-" + provider, () -> provider);
        }
        registry.add("irisx.email.links.base-url", () -> "https://api.acme.test/links");
        registry.add("irisx.email.tracking.enabled", () -> "true");
        registry.add("irisx.sms.twilio.account-sid", () -> LocalApis.TWILIO_SID);
        registry.add("irisx.sms.twilio.auth-token", () -> LocalApis.TWILIO_TOKEN);
        registry.add("irisx.sms.twilio.base-url", APIS::url);
        registry.add("irisx.sms.default-region", () -> "GB");
        registry.add("irisx.voice.twilio.account-sid", () -> LocalApis.TWILIO_SID);
        registry.add("irisx.voice.twilio.auth-token", () -> LocalApis.TWILIO_TOKEN);
        registry.add("irisx.voice.twilio.base-url", APIS::url);
        registry.add("irisx.webhooks.ssrf.allow", () -> "127.0.0.1/32");
        registry.add("irisx.rate-limits.tenants.limited.send.email", () -> "1/1h");
    }

    /** A fresh directory under the tests' working directory (target/test-work), so that a build's clean removes it. */
    private static String dataDirectory() {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("irisx-data")), "app-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An answer of the app.
     *
     * @param status its status
     * @param response the whole response
     * @param json its body, parsed (a missing node when it is not JSON)
     */
    record Answer(int status, HttpResponse<String> response, JsonNode json) {

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger TENANTS = new java.util.concurrent.atomic.AtomicInteger();

    /** A tenant registered anew through the admin routes, named {@code prefix} and a number. */
    String newTenant(String prefix) {
        String id = prefix + "-" + TENANTS.incrementAndGet();
        Answer created = post("/admin/tenants", ADMIN_TOKEN, Map.of("id", id, "name", "Tenant " + id));
        if (created.status() != 201) {
            throw new AssertionError("creating tenant " + id + ": " + created.response().body());
        }
        return id;
    }

    /** A live key of {@code tenant} with {@code scopes}, created through the admin routes: its text. */
    String key(String tenant, String... scopes) {
        Answer created = post("/admin/tenants/" + tenant + "/api-keys", ADMIN_TOKEN,
                Map.of("name", "test key", "scopes", java.util.List.of(scopes)));
        if (created.status() != 201) {
            throw new AssertionError("creating a key of " + tenant + ": " + created.response().body());
        }
        return created.json().path("secret").asText();
    }

    /** Every scope there is. */
    static String[] allScopes() {
        return java.util.Arrays.stream(io.irisx.core.tenant.ApiScope.values())
                .map(io.irisx.core.tenant.ApiScope::wireName).toArray(String[]::new);
    }

    Answer get(String path, String token) {
        return call("GET", path, token, null, Map.of());
    }

    Answer post(String path, String token, Object body) {
        return call("POST", path, token, body, Map.of());
    }

    Answer call(String method, String path, String token, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else if (body instanceof String text) {
                if (!headers.containsKey("Content-Type")) {
                    request.header("Content-Type", "application/x-www-form-urlencoded");
                }
                request.method(method, HttpRequest.BodyPublishers.ofString(text));
            } else {
                request.header("Content-Type", "application/json");
                request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
            } catch (IOException notJson) {
                json = JSON.missingNode();
            }
            return new Answer(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
