package io.irisx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrisxTest {

    @TempDir
    Path data;

    @Test
    void the_embedded_defaults_keep_the_database_and_sealing_key_across_restarts() {
        String sealed;
        MessageId id;
        try (Irisx irisx = Irisx.builder().dataDirectory(data).build()) {
            assertThat(irisx.outbox()).isInstanceOf(JdbcOutbox.class);
            sealed = irisx.sealer().seal("whsec_secret", "tenant:acme/endpoint");
            id = irisx.outbox().publish(Envelope.of(TenantId.of("acme"), Channel.SMS, "{}"));
        }
        assertThat(data.resolve("irisx.mv.db")).exists();
        assertThat(data.resolve("sealing.keys")).exists();

        try (Irisx again = Irisx.builder().dataDirectory(data).build()) {
            assertThat(again.sealer().open(sealed, "tenant:acme/endpoint")).isEqualTo("whsec_secret");
            assertThat(((JdbcOutbox) again.outbox()).find(TenantId.of("acme"), id)).isPresent();
        }
    }

    @Test
    void every_event_sink_of_the_host_and_the_modules_receives_what_the_outbox_emits() {
        List<Event> host = new CopyOnWriteArrayList<>();
        List<Event> module = new CopyOnWriteArrayList<>();
        try (Irisx irisx = Irisx.builder().dataDirectory(data).eventSink(host::add)
                .install(new TestModule("fan-out", context -> context.addEventSink(module::add))).build()) {
            MessageId id = irisx.outbox().publish(Envelope.of(TenantId.of("acme"), Channel.SMS, "{}"));
            try (Subscription worker = irisx.outbox().consume(Channel.SMS, delivery -> Outcome.fail("refused"),
                    ConsumeOptions.builder().pollInterval(Duration.ofMillis(20)).build())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !host.isEmpty() && !module.isEmpty());
            }
            for (List<Event> received : List.of(host, module)) {
                assertThat(received).singleElement().satisfies(event -> {
                    assertThat(event.type()).isEqualTo(EventType.MESSAGE_DEAD_LETTERED);
                    assertThat(event.data()).contains(id.value());
                });
            }
        }
    }

    @Test
    void a_host_database_needs_real_sealing_keys() {
        JdbcDataSource host = h2DataSource("host-without-keys");
        assertThatThrownBy(() -> Irisx.builder().dataSource(host).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("sealingKeys must be set when IRISX stores in the host's database");

        try (Irisx irisx = Irisx.builder().dataSource(host).sealingKeys(SealingKeys.generate("k1")).build()) {
            assertThat(irisx.database().dialect()).isEqualTo(io.irisx.core.store.Database.Dialect.H2);
        }
    }

    @Test
    void a_jdbc_url_of_another_database_is_refused_showing_its_scheme_only() {
        assertThatThrownBy(() -> Irisx.builder().jdbcUrl("jdbc:mysql://db/app?user=app&password=hunter2", null, null))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("jdbcUrl must be an H2 (jdbc:h2:) or PostgreSQL (jdbc:postgresql:) URL, was 'jdbc:mysql:…'"
                        + " (the rest is not shown: it may hold a password)");
        // Passwords written in the user info, or as each driver spells them, are not shown either.
        for (String url : List.of("jdbc:mysql://ada:S3cr3tAAAAAAAAAAAAAAAA@db.acme.example:5432/irisx",
                "JDBC:POSTGRESQL://db?PWD=S3cr3tAAAAAAAAAAAAAAAA", "jdbc:oracle:thin:scott/S3cr3tAAAAAAAAAAAAAAAA@db:1521:x",
                "ada:S3cr3tAAAAAAAAAAAAAAAA@db")) {
            assertThatThrownBy(() -> Database.checkJdbcUrl(url)).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jdbcUrl").hasMessageNotContaining("S3cr3t");
        }
    }

    @Test
    void a_failed_start_releases_the_database_it_opened() {
        assertThatThrownBy(() -> Irisx.builder().dataDirectory(data).outbox((db, clock, events) -> {
            throw new IllegalStateException("broker unreachable");
        }).build()).hasMessage("broker unreachable");

        // The embedded H2 file is not left locked: the next start opens it.
        try (Irisx irisx = Irisx.builder().dataDirectory(data).build()) {
            assertThat(irisx.tenant("acme").id()).isEqualTo(TenantId.of("acme"));
        }
    }

    @Test
    void a_database_that_refuses_connections_is_named_with_its_password_redacted() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/irisx?user=ada&password=s3cr3t-Pa55";

        assertThatThrownBy(() -> Irisx.builder().jdbcUrl(url, null, "an0ther-Pa55")
                .sealingKeys(SealingKeys.generate("k1")).build())
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.getMessage()).contains("cannot connect to the database at jdbc:postgresql://127.0.0.1:"
                            + closedPort + "/irisx?user=ada&password=****", "refused")
                            .doesNotContain("s3cr3t").doesNotContain("an0ther");
                    assertThat(e.getCause()).isNotNull();
                });
    }

    @Test
    void a_closed_runtime_takes_no_more_database_calls() throws Exception {
        JdbcDataSource host = new JdbcDataSource();
        host.setURL("jdbc:h2:mem:closed-" + System.nanoTime() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1");
        Irisx irisx = Irisx.builder().dataSource(host).sealingKeys(SealingKeys.generate("k1")).build();
        io.irisx.core.store.Database database = irisx.database();
        irisx.close();

        assertThatThrownBy(() -> database.withConnection(connection -> connection.isValid(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("this Irisx runtime is closed");
        assertThatThrownBy(() -> database.inTransaction(connection -> connection.isValid(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("this Irisx runtime is closed");
        // The host's data source is the host's: it still serves the host.
        try (java.sql.Connection connection = host.getConnection()) {
            assertThat(connection.isValid(1)).isTrue();
        }
    }

    @Test
    void a_closed_runtime_refuses_new_tenant_views_and_closes_once() {
        Irisx irisx = Irisx.builder().dataDirectory(data).build();
        irisx.close();
        irisx.close();
        assertThatThrownBy(() -> irisx.tenant("acme")).isInstanceOf(IllegalStateException.class)
                .hasMessage("this Irisx runtime is closed");
    }

    @Test
    void a_tenant_view_sees_and_replays_its_own_dead_letters_and_never_another_tenants() {
        try (Irisx irisx = Irisx.builder().dataDirectory(data).build()) {
            Tenant acme = irisx.tenant("acme");
            Tenant globex = irisx.tenant("globex");
            MessageId id = irisx.outbox().publish(Envelope.of(acme.id(), Channel.EMAIL, "{}"));
            ConsumeOptions options = ConsumeOptions.builder().pollInterval(Duration.ofMillis(10)).build();
            try (Subscription worker = irisx.outbox().consume(Channel.EMAIL, d -> Outcome.fail("550 no such user"), options)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> acme.deadLetter(id).isPresent());
            }

            assertThat(acme.deadLetters(Channel.EMAIL, PageRequest.first(10)).items()).hasSize(1);
            assertThat(globex.deadLetters(Channel.EMAIL, PageRequest.first(10)).items()).isEmpty();
            assertThat(globex.deadLetter(id)).isEmpty();
            assertThatThrownBy(() -> globex.replayDeadLetter(id)).isInstanceOf(NotFoundException.class)
                    .hasMessage("dead letter '" + id + "' not found");
            assertThatThrownBy(() -> globex.purgeDeadLetter(id)).isInstanceOf(NotFoundException.class);
            assertThat(acme.deadLetter(id)).isPresent();

            acme.replayDeadLetter(id);
            assertThat(acme.deadLetter(id)).isEmpty();
        }
    }

    private static JdbcDataSource h2DataSource(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        return dataSource;
    }
}
