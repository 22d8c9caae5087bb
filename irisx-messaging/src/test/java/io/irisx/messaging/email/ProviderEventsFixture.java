package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.Tenant;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the provider event handler tests share: a runtime with two tenants, acme and globex, emails sent through a
 * provider with the ids the provider answered, requests as the host builds them, and a snapshot of everything a
 * request could change, to show that a refused one changed nothing. Close it after each test.
 */
final class ProviderEventsFixture implements AutoCloseable {

    static final String RECIPIENT = "ada@example.com";

    final MessagingFixture runtime = new MessagingFixture(TestDatabases.h2());
    final EmailClient acme = runtime.emailClient("acme");
    final EmailClient globex = runtime.emailClient("globex");

    Tenant tenant(String id) {
        return runtime.irisx.tenant(id);
    }

    Instant now() {
        return runtime.clock.instant();
    }

    /** An email of {@code client}'s tenant to {@link #RECIPIENT}, sent through {@code provider}, which gave it {@code providerMessageId}. */
    MessageId sent(EmailClient client, String provider, String providerMessageId) {
        MessageId id = client.send(EmailMessage.builder().from("billing@acme.example").to(RECIPIENT)
                .subject("Your receipt").text("Thank you.").build());
        assertThat(runtime.emailStore.markSent(client.get(id), provider, providerMessageId, 1, false,
                "accepted by " + provider)).isTrue();
        return id;
    }

    /** A request of {@code method} with {@code headers} (name, value, …) and {@code body}, from 203.0.113.7. */
    static CallbackRequest request(String method, String query, String body, String... headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        return new CallbackRequest(method, "/hooks/email", query, map, body.getBytes(StandardCharsets.UTF_8),
                "203.0.113.7");
    }

    /** A POST with a JSON body and {@code headers}. */
    static CallbackRequest post(String body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json"));
        all.addAll(List.of(headers));
        return request("POST", "", body, all.toArray(String[]::new));
    }

    /** The events of {@code type} emitted so far. */
    List<Event> events(EventType type) {
        return runtime.events(type);
    }

    /** Everything a provider event could change: each email's status and history, suppressions, events. */
    Snapshot snapshot(MessageId... emails) {
        List<Object> state = new ArrayList<>();
        for (MessageId id : emails) {
            EmailClient owner = acme.list(EmailFilter.all(), io.irisx.core.PageRequest.first(500)).items().stream()
                    .anyMatch(email -> email.id().equals(id)) ? acme : globex;
            state.add(owner.get(id).status());
            state.add(owner.history(id).stream().map(change -> change.event() + " " + change.detail()).toList());
        }
        for (EmailClient client : List.of(acme, globex)) {
            for (EmailStream stream : EmailStream.values()) {
                state.add(client.suppressions().list(stream, io.irisx.core.PageRequest.first(500)).items());
            }
        }
        state.add(runtime.events.stream().map(event -> event.type() + " " + event.tenant()).toList());
        return new Snapshot(state);
    }

    @Override
    public void close() {
        runtime.close();
    }

    /** The state {@link #snapshot} took. */
    record Snapshot(List<Object> state) {
    }
}
