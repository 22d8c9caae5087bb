package io.irisx.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Channel;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The SQL and parameters {@link Where} builds from a listing's filter. */
class WhereTest {

    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void everyPresentConditionIsJoinedWithAndAndItsValueBoundAsTheTablesHoldIt() {
        Where where = Where.of("tenant_id = ?", "acme").in("channel", EnumSet.of(Channel.SMS, Channel.EMAIL))
                .atLeast("created_at", Optional.of(FROM)).below("created_at", Optional.of(TO))
                .equal("to_number", Optional.of("+15551234567")).equal("channel", Optional.of(Channel.VOICE))
                .below("id", Optional.of("msg_01"));

        assertThat(where.sql()).isEqualTo("tenant_id = ? AND channel IN (?, ?) AND created_at >= ?"
                + " AND created_at < ? AND to_number = ? AND channel = ? AND id < ?");
        assertThat(where.args()).containsExactly("acme", "EMAIL", "SMS", FROM.toEpochMilli(), TO.toEpochMilli(),
                "+15551234567", "VOICE", "msg_01");
    }

    @Test
    void anEmptyOptionalAddsNoCondition() {
        Where where = Where.of("tenant_id = ? AND endpoint_id = ?", "acme", "ep_1").atLeast("created_at",
                Optional.empty()).below("id", Optional.empty()).equal("to_number", Optional.empty());

        assertThat(where.sql()).isEqualTo("tenant_id = ? AND endpoint_id = ?");
        assertThat(where.args()).containsExactly("acme", "ep_1");
    }

    @Test
    void everyConstantOfAnEnumAddsNoConditionAndFewerListTheirNamesSorted() {
        assertThat(Where.of("tenant_id = ?", "acme").in("channel", EnumSet.allOf(Channel.class)).sql())
                .isEqualTo("tenant_id = ?");

        Set<Channel> one = EnumSet.of(Channel.VOICE);
        Where where = Where.of("tenant_id = ?", "acme").in("channel", one);
        assertThat(where.sql()).isEqualTo("tenant_id = ? AND channel IN (?)");
        assertThat(where.args()).containsExactly("acme", "VOICE");
    }

    @Test
    void argsAreACopyThatLaterConditionsDoNotChange() {
        Where where = Where.of("tenant_id = ?", "acme");
        var before = where.args();
        where.below("id", Optional.of("msg_01"));

        assertThat(before).containsExactly("acme");
        assertThat(where.args()).containsExactly("acme", "msg_01");
        assertThatThrownBy(() -> where.args().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aColumnThatIsNotAPlainNameIsRefusedSoNoValueEndsUpInTheSql() {
        Where where = Where.of("tenant_id = ?", "acme");

        assertThatThrownBy(() -> where.equal("to_number = '1' OR 1 = 1 --", Optional.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("to_number = '1' OR 1 = 1 --");
        assertThatThrownBy(() -> where.in("Status", EnumSet.of(Channel.SMS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"Status\"");
        assertThat(where.sql()).isEqualTo("tenant_id = ?");
    }

    @Test
    void aConditionWhoseParametersDoNotMatchItsArgsIsRefused() {
        assertThatThrownBy(() -> Where.of("tenant_id = ? AND id = ?", "acme"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant_id = ? AND id = ?")
                .hasMessageContaining("had 2");
        assertThatThrownBy(() -> Where.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptySetOfValuesOrAValueOfATypeNoTableHoldsIsRefused() {
        Where where = Where.of("tenant_id = ?", "acme");

        assertThatThrownBy(() -> where.in("channel", Set.<Channel>of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel is empty");
        assertThatThrownBy(() -> where.equal("amount", Optional.of(1.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount")
                .hasMessageContaining("java.lang.Double");
        assertThat(where.args()).containsExactly("acme");
    }
}
