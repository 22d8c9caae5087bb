package io.irisx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.id.MessageId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The one page shape of every listing. */
class PageTest {

    @Test
    void a_listing_read_one_past_the_limit_knows_that_more_follow() {
        Page<String> full = Page.of(List.of("a", "b", "c"), PageRequest.first(2), Function.identity());
        assertThat(full.items()).containsExactly("a", "b");
        assertThat(full.nextCursor()).contains("b");
        assertThat(full.hasMore()).isTrue();

        Page<String> last = Page.of(List.of("c"), PageRequest.after("b", 2), Function.identity());
        assertThat(last.items()).containsExactly("c");
        assertThat(last.hasMore()).isFalse();
    }

    @Test
    void a_cursor_is_read_by_the_listing_and_a_foreign_one_is_refused_naming_after() {
        MessageId id = MessageId.generate();
        assertThat(PageRequest.after(id.value(), 10).cursor(MessageId::parse)).contains(id);
        assertThat(PageRequest.first().cursor(MessageId::parse)).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> PageRequest.after("ep_not-a-message", 10).cursor(MessageId::parse))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("after"))
                .hasMessageContaining("ep_not-a-message");
    }

    @Test
    void a_page_holds_1_to_500_items() {
        assertThatThrownBy(() -> PageRequest.first(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be between 1 and 500, was 0");
        assertThatThrownBy(() -> PageRequest.first(501)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PageRequest.first().limit()).isEqualTo(50);
    }
}
