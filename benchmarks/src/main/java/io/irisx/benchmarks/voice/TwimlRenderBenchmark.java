package io.irisx.benchmarks.voice;

import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Say;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.Prompt;
import io.irisx.voice.twilio.TwimlRenderer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering a 10-step IVR flow — says (one with a voice and language), plays, pauses, a dial and a hang-up — as the
 * TwiML document Twilio is given, beside the peer: the same document built by hand with the Twilio SDK's {@code
 * VoiceResponse} builders, what a host writes without flows. {@link #irisx} is {@link TwimlRenderer#render(Flow,
 * String)}: walking the flow's steps and building the same verbs. Both are checked, at set-up, to produce the same
 * document. One instance per benchmark thread.
 *
 * <p>Not {@code final}: JMH generates a subclass of each benchmark class.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class TwimlRenderBenchmark {

    private static final String FLOW_URL = "https://hooks.acme.example/voice/acme/twilio";
    private static final String CHIME = "https://cdn.acme.example/chime.mp3";
    private static final String THANKS = "https://cdn.acme.example/thanks.mp3";

    static final Flow FLOW = Flow.builder("welcome")
            .say("greet", Prompt.say("Thanks for calling Acme & Co.").voice("Polly.Amy").language("en-GB"))
            .pause("breath", Duration.ofSeconds(1))
            .say("notice", "Calls are recorded for training.")
            .play("chime", CHIME)
            .say("connect", "Connecting you to the sales team now.")
            .dial("sales", "+14155550100", dial -> dial.timeout(Duration.ofSeconds(25)).callerId("+14155550199"))
            .play("after", THANKS)
            .say("goodbye", "Thank you for calling. Goodbye.")
            .pause("settle", Duration.ofSeconds(2))
            .hangup("end")
            .build();

    /** Checks that both paths write the same document. */
    @Setup
    public void check() {
        String ours = irisx();
        String peer = sdkByHand();
        if (!ours.equals(peer)) {
            throw new IllegalStateException("the paths differ:\n" + ours + "\n" + peer);
        }
    }

    /** The flow rendered by IRISX. */
    @Benchmark
    public String irisx() {
        return TwimlRenderer.render(FLOW, FLOW_URL);
    }

    /** The peer: the same document built by hand with the SDK's builders. */
    @Benchmark
    public String sdkByHand() {
        VoiceResponse response = new VoiceResponse.Builder()
                .say(new Say.Builder("Thanks for calling Acme & Co.").option("voice", "Polly.Amy")
                        .option("language", "en-GB").build())
                .pause(new Pause.Builder().length(1).build())
                .say(new Say.Builder("Calls are recorded for training.").build())
                .play(new Play.Builder(CHIME).build())
                .say(new Say.Builder("Connecting you to the sales team now.").build())
                .dial(new Dial.Builder().timeout(25).callerId("+14155550199")
                        .number(new Number.Builder("+14155550100").build()).build())
                .play(new Play.Builder(THANKS).build())
                .say(new Say.Builder("Thank you for calling. Goodbye.").build())
                .pause(new Pause.Builder().length(2).build())
                .hangup(new Hangup.Builder().build())
                .build();
        try {
            return response.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException(e);
        }
    }
}
