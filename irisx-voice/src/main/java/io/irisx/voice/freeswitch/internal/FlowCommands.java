package io.irisx.voice.freeswitch.internal;

import io.irisx.voice.flow.Prompt;
import io.irisx.voice.flow.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The FreeSWITCH dialplan applications that run a flow's step on a channel
 * (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Modules/mod-dptools/): a say is {@code speak}
 * ({@code engine|voice|text}), a play {@code playback}, a pause {@code sleep} (milliseconds), a gather its prompts then
 * {@code play_and_get_digits} into the channel variable {@code irisx_digits}, a record {@code record} (with a beep
 * first when asked), a dial {@code bridge} through the dial string, a hang-up {@code hangup}. Each step begins with
 * {@code set irisx_step=<id>}, so the channel shows where in its flow it is. Immutable.
 *
 * <p>A say prompt that names no voice of its own, when the module has text-to-speech, is {@code playback} of its
 * synthesized audio's https URL instead of {@code speak}: FreeSWITCH plays http(s) URLs through mod_httapi, which
 * registers the {@code http://} and {@code https://} file formats and keeps fetched files in its {@code http_cache}
 * (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Modules/mod_httapi_1049009/), so mod_httapi must
 * be loaded.
 *
 * <p>A gather's prompts play before it listens, so digits pressed during a prompt are not heard (no barge-in), and
 * FreeSWITCH hears digits only: a gather for speech alone hears nothing and takes its no-input path.
 */
final class FlowCommands {

    /** The channel variable a gather's digits land in. */
    static final String DIGITS = "irisx_digits";

    /** One application to execute: its name and argument. */
    record App(String name, String arg) {
    }

    private final String dialString;
    private final String ttsEngine;
    private final String ttsVoice;
    private final String recordingDirectory;

    FlowCommands(String dialString, String ttsEngine, String ttsVoice, String recordingDirectory) {
        this.dialString = dialString;
        this.ttsEngine = ttsEngine;
        this.ttsVoice = ttsVoice;
        this.recordingDirectory = recordingDirectory;
    }

    /** The dial string that reaches {@code number}. */
    String dial(String number) {
        return dialString.replace("{number}", number);
    }

    /** Where a call's recordings go: {@code <directory>/<name>.wav}. */
    String recordingPath(String name) {
        return recordingDirectory + "/" + name + ".wav";
    }

    /**
     * The applications of attempt {@code attempt} of {@code step}; a redirect has none (the flow is switched). A say
     * prompt for which {@code speechUrl} gives synthesized audio's URL plays it; else it is spoken by FreeSWITCH.
     */
    List<App> apps(Step step, int attempt, String recordingName, Function<Prompt.Speech, Optional<String>> speechUrl) {
        List<App> apps = new ArrayList<>();
        apps.add(new App("set", "irisx_step=" + step.id()));
        if (step instanceof Step.Say say) {
            apps.add(say(say.speech(), speechUrl));
        } else if (step instanceof Step.Play play) {
            apps.add(new App("playback", play.audio().url()));
        } else if (step instanceof Step.Pause pause) {
            apps.add(new App("sleep", String.valueOf(pause.length().toMillis())));
        } else if (step instanceof Step.Gather gather) {
            gather(gather, attempt, apps, speechUrl);
        } else if (step instanceof Step.Record record) {
            if (record.beep()) {
                apps.add(new App("playback", "tone_stream://%(500,0,800)"));
            }
            // Arguments: path, time limit in seconds, silence threshold, seconds of silence that end it.
            apps.add(new App("record", recordingPath(recordingName) + " " + record.maxLength().toSeconds() + " 200 5"));
        } else if (step instanceof Step.Dial dial) {
            apps.add(new App("bridge", "{leg_timeout=" + dial.timeout().toSeconds()
                    + dial.callerId().map(id -> ",origination_caller_id_number=" + id).orElse("") + "}"
                    + dial(dial.number())));
        } else if (step instanceof Step.Hangup) {
            apps.add(new App("hangup", "NORMAL_CLEARING"));
        } else {
            apps.clear();
        }
        return apps;
    }

    private void gather(Step.Gather gather, int attempt, List<App> apps,
            Function<Prompt.Speech, Optional<String>> speechUrl) {
        if (attempt > 1) {
            gather.retryPrompt().ifPresent(prompt -> apps.add(prompt(prompt, speechUrl)));
        }
        gather.prompts().forEach(prompt -> apps.add(prompt(prompt, speechUrl)));
        apps.add(new App("unset", DIGITS));
        int max = gather.numDigits() > 0 ? gather.numDigits() : 32;
        // min max tries timeout terminators file invalid_file var_name regexp digit_timeout
        apps.add(new App("play_and_get_digits", "1 " + max + " 1 " + gather.timeout().toMillis()
                + " # silence_stream://250 silence_stream://250 " + DIGITS + " [0-9*#]+ 5000"));
    }

    private App prompt(Prompt prompt, Function<Prompt.Speech, Optional<String>> speechUrl) {
        return prompt instanceof Prompt.Speech speech ? say(speech, speechUrl)
                : new App("playback", ((Prompt.Audio) prompt).url());
    }

    private App say(Prompt.Speech speech, Function<Prompt.Speech, Optional<String>> speechUrl) {
        return speechUrl.apply(speech).map(url -> new App("playback", url)).orElseGet(() -> speak(speech));
    }

    private App speak(Prompt.Speech speech) {
        String text = speech.text().replaceAll("[\\r\\n\\t]+", " ").strip();
        return new App("speak", ttsEngine + "|" + speech.voice().orElse(ttsVoice) + "|" + text);
    }
}
