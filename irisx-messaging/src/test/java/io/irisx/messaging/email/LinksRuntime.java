package io.irisx.messaging.email;

import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.messaging.MessagingFixture;
import io.irisx.messaging.email.internal.LinkKeys;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A runtime whose send-only email module has links under {@value #BASE} with an unsubscribe mailbox, tracking tenants
 * acme and beta (not globex), and keeps every event it emits. Close it after each test.
 */
final class LinksRuntime implements AutoCloseable {

    static final String BASE = "https://links.acme.test/email";
    static final String MAILBOX = "unsubscribe@links.acme.test";
    private static final Pattern LINK = Pattern.compile(Pattern.quote(BASE) + "(/[uoc]/[A-Za-z0-9_-]+)");

    final MutableClock clock = MutableClock.at(MessagingFixture.START);
    final List<Event> events = new CopyOnWriteArrayList<>();
    final Database database;
    final EmailModule module;
    final Irisx irisx;

    LinksRuntime(Database database) {
        this(database, null);
    }

    /** A runtime that sends through {@code provider} in this process, or is send-only when it is null. */
    LinksRuntime(Database database, EmailProvider provider) {
        this.database = database;
        EmailModule.Builder builder = EmailModule.builder();
        if (provider == null) {
            builder.sendOnly();
        } else {
            builder.provider(provider);
        }
        this.module = builder
                .links(BASE + "/")
                .unsubscribeMailbox(MAILBOX)
                .tracking(Set.of(TenantId.of("acme"), TenantId.of("beta"))::contains)
                .build();
        this.irisx = Irisx.builder()
                .dataSource(database.dataSource())
                .sealingKeys(SealingKeys.generate("k1"))
                .clock(clock)
                .eventSink(events::add)
                .install(module)
                .build();
    }

    EmailClient email(String tenant) {
        return EmailClient.of(irisx.tenant(tenant));
    }

    EmailLinks links() {
        return module.links();
    }

    /** The runtime's link keys, read from the same table with the same sealing keys, as another process has them. */
    LinkKeys keys() {
        return new LinkKeys(irisx.database(), irisx.sealer(), clock);
    }

    List<Event> events(EventType type) {
        return events.stream().filter(event -> event.type() == type).toList();
    }

    /** The paths under {@link #BASE} of the links in {@code text}, in order. */
    static List<String> paths(String text) {
        Matcher link = LINK.matcher(text);
        List<String> paths = new java.util.ArrayList<>();
        while (link.find()) {
            paths.add(link.group(1));
        }
        return paths;
    }

    /** A GET of {@code path} under the base URL's path, as a mail client or browser sends it. */
    static CallbackRequest get(String path, Map<String, List<String>> headers) {
        return new CallbackRequest("GET", "/email" + path, headers, new byte[0]);
    }

    /** A POST of {@code body} to {@code path} under the base URL's path, with {@code contentType}. */
    static CallbackRequest post(String path, String contentType, String body) {
        return new CallbackRequest("POST", "/email" + path, Map.of("Content-Type", List.of(contentType)),
                body.getBytes(StandardCharsets.UTF_8));
    }

    CallbackResponse handle(CallbackRequest request) {
        return links().handle(request);
    }

    @Override
    public void close() {
        irisx.close();
        database.close();
    }
}
