package io.irisx.voice;

import io.irisx.core.ProviderException;
import io.irisx.voice.spi.CallReceipt;
import io.irisx.voice.spi.OutgoingCall;
import io.irisx.voice.spi.ProviderCall;
import io.irisx.voice.spi.VoiceProvider;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A voice provider that answers as a test scripts it — accepting, refusing for good, failing with an answer, or
 * giving none — and keeps every call it was asked to place, hang up or redirect. Thread-safe.
 */
final class ScriptedProvider implements VoiceProvider {

    /** How the provider answers a placing. */
    enum Answer {
        /** It places the call: a new call id, status {@code queued}. */
        ACCEPT,
        /** It refuses the number for good (400, not retryable). */
        REFUSE,
        /** It answers that it is down (503, retryable). */
        DOWN,
        /** It does not answer (a timeout: status 0, retryable, outcome unknown). */
        SILENT
    }

    private final String name;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Answer otherwise = Answer.ACCEPT;
    final List<OutgoingCall> placed = new CopyOnWriteArrayList<>();
    final List<ProviderCall> hungUp = new CopyOnWriteArrayList<>();
    final List<String> redirects = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Consumer<OutgoingCall> whilePlacing = call -> { };

    ScriptedProvider(String name) {
        this.name = name;
    }

    /** Answers the next placings with {@code answers}, in order, then as {@link #otherwise}. */
    ScriptedProvider then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** Answers every placing past the script with {@code answer}. */
    ScriptedProvider otherwise(Answer answer) {
        this.otherwise = answer;
        return this;
    }

    /** Runs {@code action} inside each placing, before the provider answers (as a host acting meanwhile would). */
    ScriptedProvider whilePlacing(Consumer<OutgoingCall> action) {
        this.whilePlacing = action;
        return this;
    }

    /** The call id this provider gave its {@code n}th accepted call. */
    String id(int n) {
        return String.format("%s-%d", name, n);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CallReceipt place(OutgoingCall call) {
        placed.add(call);
        whilePlacing.accept(call);
        Answer answer = script.poll();
        switch (answer == null ? otherwise : answer) {
            case REFUSE -> throw new ProviderException(name, 400, "RQ1", false, "the 'To' number is not valid");
            case DOWN -> throw new ProviderException(name, 503, "RQ2", true, "service unavailable");
            case SILENT -> throw new ProviderException(name, 0, null, true, "no answer within the timeout");
            default -> {
                return new CallReceipt(id(ids.incrementAndGet()), "queued", Optional.of(CallStatus.INITIATED));
            }
        }
    }

    @Override
    public CallReceipt hangup(ProviderCall call) {
        hungUp.add(call);
        return new CallReceipt(call.providerCallId(), "completed", Optional.of(CallStatus.COMPLETED));
    }

    @Override
    public CallReceipt redirect(ProviderCall call, String flow) {
        redirects.add(call.providerCallId() + " -> " + flow);
        return new CallReceipt(call.providerCallId(), "in-progress", Optional.of(CallStatus.IN_PROGRESS));
    }
}
