package io.irisx.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    private static final Pattern URL_SAFE = Pattern.compile("[a-z]+_[0-9a-hjkmnp-tv-z]{26}");

    @Test
    void each_kind_of_id_carries_its_prefix_and_is_url_safe() {
        assertThat(MessageId.generate().value()).startsWith("msg_").matches(URL_SAFE);
        assertThat(EventId.generate().value()).startsWith("evt_").matches(URL_SAFE);
        assertThat(EndpointId.generate().value()).startsWith("ep_").matches(URL_SAFE);
        assertThat(AttemptId.generate().value()).startsWith("att_").matches(URL_SAFE);
        assertThat(CallId.generate().value()).startsWith("call_").matches(URL_SAFE);
        assertThat(RecordingId.generate().value()).startsWith("rec_").matches(URL_SAFE);
        RecordingId recording = RecordingId.generate();
        assertThat(RecordingId.parse(recording.value())).isEqualTo(recording);
        assertThatThrownBy(() -> RecordingId.parse("call_" + recording.value().substring(4)))
                .isInstanceOf(IrisxValidationException.class).hasMessageContaining("recordingId");
    }

    @Test
    void an_id_parses_back_to_an_equal_id() {
        MessageId id = MessageId.generate();
        assertThat(MessageId.parse(id.value())).isEqualTo(id).hasToString(id.value());
    }

    @Test
    void ids_made_one_after_another_sort_in_the_order_they_were_made() {
        List<MessageId> made = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            made.add(MessageId.generate());
        }
        List<MessageId> sorted = new ArrayList<>(made);
        sorted.sort(null);
        assertThat(sorted).isEqualTo(made);
        assertThat(new HashSet<>(made)).hasSize(made.size());
    }

    @Test
    void ids_carry_the_time_they_were_made() {
        long before = System.currentTimeMillis();
        MessageId id = MessageId.generate();
        long after = System.currentTimeMillis();
        assertThat(id.createdAt()).isBetween(Instant.ofEpochMilli(before), Instant.ofEpochMilli(after));
    }

    @Test
    void threads_making_ids_at_once_never_make_the_same_one() throws InterruptedException {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        int threads = 4;
        int each = 20_000;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    seen.add(EventId.generate().value());
                }
                done.countDown();
            }).start();
        }
        done.await();
        assertThat(seen).hasSize(threads * each);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "msg_", "evt_01jd5k3q9v8x7w6t5r4p3n2m1a", "msg_01jd5k3q9v8x7w6t5r4p3n2m1", "msg-01jd5k3q9v8x7w6t5r4p3n2m1a",
        "msg_01JD5K3Q9V8X7W6T5R4P3N2M1A", "msg_01jd5k3q9v8x7w6t5r4p3n2m1i", "msg_81jd5k3q9v8x7w6t5r4p3n2m1a", "msg_01jd5k3q9v8x7w6t5r4p3n2m1a "})
    void text_that_is_not_a_message_id_is_refused_naming_the_field_and_value(String text) {
        assertThatThrownBy(() -> MessageId.parse(text))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageStartingWith("messageId: '" + text + "'")
                .satisfies(e -> assertThat(((IrisxValidationException) e).field()).isEqualTo("messageId"));
    }

    @Test
    void a_missing_id_is_refused() {
        assertThatThrownBy(() -> MessageId.parse(null))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessage("messageId: null is required");
    }
}
