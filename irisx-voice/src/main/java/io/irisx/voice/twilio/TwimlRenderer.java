package io.irisx.voice.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.Prompt;
import io.irisx.voice.flow.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A flow's steps as TwiML (twilio.com/docs/voice/twiml), built with the Twilio SDK's {@link VoiceResponse} builders;
 * stateless and thread-safe.
 *
 * <p>One document holds the steps from a position up to the next one that waits for the caller or leaves the flow: a
 * say ({@code <Say>}), play ({@code <Play>}), pause ({@code <Pause>}) or dial ({@code <Dial><Number>}, after which
 * Twilio goes on with the next verb) is followed in the same document by what comes after it; a gather
 * ({@code <Gather actionOnEmptyResult="true">}, its prompts inside so that input interrupts them, its retry prompt
 * first from its second attempt), a record ({@code <Record>}, then a {@code <Redirect>} to the same action for a
 * recording Twilio drops as silent), a redirect to another flow ({@code <Redirect>}) and a hang-up ({@code <Hangup>})
 * end it; so does the end of the flow, with a {@code <Hangup>}. Gathers and records post to the flow URL with the
 * flow, step and attempt in its query, where the same handler answers with the next document.
 *
 * <p>With text-to-speech configured on the module, a say prompt that names no voice is played from its synthesized
 * audio ({@code <Play>} of its content-addressed URL) instead.
 */
public final class TwimlRenderer {

    private TwimlRenderer() {
    }

    /**
     * The TwiML document that starts {@code flow}, as {@link TwilioVoiceCallbacks} answers Twilio's voice webhook for
     * it (without text-to-speech), its gathers and records posting to {@code flowUrl}: for a host to see what Twilio
     * is given, or to serve a flow from a handler of its own.
     */
    public static String render(Flow flow, String flowUrl) {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(flowUrl, "flowUrl");
        return render(flow, flow.start(), flowUrl);
    }

    /**
     * The TwiML document that runs {@code flow} from {@code position}, its callbacks to {@code flowUrl} (the URL at
     * which the handler is mounted, as Twilio is given it).
     */
    static String render(Flow flow, Flow.Position position, String flowUrl) {
        return render(flow, position, flowUrl, speech -> Optional.empty());
    }

    /**
     * As {@link #render(Flow, Flow.Position, String)}, each say prompt for which {@code speechAudio} gives a URL (its
     * synthesized audio) played from that URL ({@code <Play>}) rather than spoken by Twilio ({@code <Say>}).
     */
    static String render(Flow flow, Flow.Position position, String flowUrl,
            Function<Prompt.Speech, Optional<String>> speechAudio) {
        VoiceResponse.Builder response = new VoiceResponse.Builder();
        Optional<Flow.Position> at = Optional.of(position);
        while (at.isPresent()) {
            Step step = at.get().step();
            if (step instanceof Step.Gather gather) {
                response.gather(gather(flow, gather, at.get().attempt(), flowUrl, speechAudio));
                return xml(response);
            }
            if (step instanceof Step.Record record) {
                String action = TwilioUrls.flow(flowUrl, flow.name(), record.id(), 1);
                com.twilio.twiml.voice.Record.Builder verb = new com.twilio.twiml.voice.Record.Builder()
                        .action(action).method(HttpMethod.POST).maxLength((int) record.maxLength().toSeconds())
                        .playBeep(record.beep());
                if (record.transcribe()) {
                    verb.transcribe(true);
                }
                response.record(verb.build());
                response.redirect(new Redirect.Builder(action).method(HttpMethod.POST).build());
                return xml(response);
            }
            if (step instanceof Step.Redirect redirect) {
                response.redirect(new Redirect.Builder(TwilioUrls.flow(flowUrl, redirect.flow(), null, 1))
                        .method(HttpMethod.POST).build());
                return xml(response);
            }
            if (step instanceof Step.Hangup) {
                response.hangup(new Hangup.Builder().build());
                return xml(response);
            }
            if (step instanceof Step.Say say) {
                Optional<String> audio = speechAudio.apply(say.speech());
                if (audio.isPresent()) {
                    response.play(new Play.Builder(audio.get()).build());
                } else {
                    response.say(say(say.speech()));
                }
            } else if (step instanceof Step.Play play) {
                response.play(new Play.Builder(play.audio().url()).build());
            } else if (step instanceof Step.Pause pause) {
                response.pause(new Pause.Builder().length((int) pause.length().toSeconds()).build());
            } else if (step instanceof Step.Dial dial) {
                Dial.Builder verb = new Dial.Builder().timeout((int) dial.timeout().toSeconds());
                dial.callerId().ifPresent(verb::callerId);
                response.dial(verb.number(new Number.Builder(dial.number()).build()).build());
            }
            at = flow.after(step);
        }
        response.hangup(new Hangup.Builder().build());
        return xml(response);
    }

    /** The document that ends the call at once. */
    static String hangup() {
        return xml(new VoiceResponse.Builder().hangup(new Hangup.Builder().build()));
    }

    private static Gather gather(Flow flow, Step.Gather gather, int attempt, String flowUrl,
            Function<Prompt.Speech, Optional<String>> speechAudio) {
        Gather.Builder verb = new Gather.Builder()
                .inputs(inputs(gather))
                .timeout((int) gather.timeout().toSeconds())
                .action(TwilioUrls.flow(flowUrl, flow.name(), gather.id(), attempt))
                .method(HttpMethod.POST)
                .actionOnEmptyResult(true);
        if (gather.numDigits() > 0) {
            verb.numDigits(gather.numDigits());
        }
        if (gather.input().speech()) {
            // The branches' phrases, as hints that make the recogniser expect them.
            List<String> phrases = gather.branches().keySet().stream().filter(key -> !key.matches("[0-9*#]+")).toList();
            if (!phrases.isEmpty()) {
                verb.hints(String.join(",", phrases));
            }
        }
        List<Prompt> prompts = new ArrayList<>();
        if (attempt > 1) {
            gather.retryPrompt().ifPresent(prompts::add);
        }
        prompts.addAll(gather.prompts());
        for (Prompt prompt : prompts) {
            if (prompt instanceof Prompt.Speech speech) {
                Optional<String> audio = speechAudio.apply(speech);
                if (audio.isPresent()) {
                    verb.play(new Play.Builder(audio.get()).build());
                } else {
                    verb.say(say(speech));
                }
            } else if (prompt instanceof Prompt.Audio audio) {
                verb.play(new Play.Builder(audio.url()).build());
            }
        }
        return verb.build();
    }

    private static List<Gather.Input> inputs(Step.Gather gather) {
        List<Gather.Input> inputs = new ArrayList<>();
        if (gather.input().digits()) {
            inputs.add(Gather.Input.DTMF);
        }
        if (gather.input().speech()) {
            inputs.add(Gather.Input.SPEECH);
        }
        return inputs;
    }

    private static Say say(Prompt.Speech speech) {
        Say.Builder say = new Say.Builder(speech.text());
        // Attributes as Twilio spells them, so that any voice and language the account has can be named.
        speech.voice().ifPresent(voice -> say.option("voice", voice));
        speech.language().ifPresent(language -> say.option("language", language));
        return say.build();
    }

    private static String xml(VoiceResponse.Builder response) {
        try {
            return response.build().toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("the Twilio SDK could not write the TwiML of a flow: " + e.getMessage(), e);
        }
    }
}
