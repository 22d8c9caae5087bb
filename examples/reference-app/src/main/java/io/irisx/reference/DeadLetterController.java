package io.irisx.reference;

import io.irisx.core.Channel;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.Tenant;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.DeadLetter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's dead letters on one channel ({@code email}, {@code sms}, {@code voice}, {@code webhooks}): list, get,
 * replay with fresh tries, purge. Each route needs the scope that works the channel ({@link ChannelScope}).
 */
@RestController
@RequestMapping("/v1/dead-letters/{channel}")
class DeadLetterController {

    /** A dead letter as the API shows it. */
    record DeadLetterJson(MessageId id, String channel, String idempotencyKey, String payload, int attempts,
            String lastError, java.time.Instant deadAt) {

        static DeadLetterJson of(DeadLetter letter) {
            return new DeadLetterJson(letter.envelope().id(), letter.envelope().channel().name().toLowerCase(
                    java.util.Locale.ROOT), letter.envelope().idempotencyKey(), letter.envelope().payload(),
                    letter.attempts(), letter.lastError(), letter.deadAt());
        }
    }

    @GetMapping
    @ChannelScope
    Page<DeadLetterJson> list(Tenant tenant, @PathVariable String channel,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        Page<DeadLetter> page = tenant.deadLetters(channel(channel), Paging.page(cursor, limit));
        return new Page<>(page.items().stream().map(DeadLetterJson::of).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    @ChannelScope
    DeadLetterJson get(Tenant tenant, @PathVariable String channel, @PathVariable String id) {
        return DeadLetterJson.of(find(tenant, channel, id));
    }

    @PostMapping("/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @ChannelScope
    void replay(Tenant tenant, @PathVariable String channel, @PathVariable String id) {
        tenant.replayDeadLetter(find(tenant, channel, id).envelope().id());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @ChannelScope
    void purge(Tenant tenant, @PathVariable String channel, @PathVariable String id) {
        tenant.purgeDeadLetter(find(tenant, channel, id).envelope().id());
    }

    /** The tenant's dead letter {@code id} on {@code channel}: one of another channel is not found here. */
    private static DeadLetter find(Tenant tenant, String channel, String id) {
        return tenant.deadLetter(MessageId.parse(id)).filter(letter -> letter.envelope().channel() == channel(channel))
                .orElseThrow(() -> new NotFoundException("dead letter", id));
    }

    private static Channel channel(String channel) {
        return Paging.enumValue(Channel.class, "channel", channel);
    }
}
