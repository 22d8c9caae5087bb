package io.irisx.voice.freeswitch.internal;

import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import io.irisx.voice.CallReport;
import io.irisx.voice.CallStatus;
import io.irisx.voice.RecordingMode;
import io.irisx.voice.RecordingReport;
import io.irisx.voice.Voice;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.Step;
import io.irisx.voice.spi.OutgoingCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FreeSWITCH provider's engine: originates calls, turns their channel events into IRISX statuses and recordings
 * (through {@link Voice#record}, as Twilio's callbacks do), and runs their flows as dialplan applications sent with
 * {@code sendmsg}; thread-safe. Events arrive in order on the connection's event thread.
 *
 * <p>Each channel carries {@code irisx_call_id}, {@code irisx_tenant} and {@code irisx_flow} as channel variables, so a
 * call's statuses are recorded even by a process that did not place it (after a restart). The position in a flow is
 * kept here, across reconnections of the Event Socket: a step whose applications could not be sent while the socket was
 * down is sent again once it is back, if the channel still exists.
 */
public final class CallRunner implements EslConnection.Listener, AutoCloseable {

    /** The provider's name. */
    public static final String PROVIDER = "freeswitch";
    /** The events the provider subscribes to. */
    public static final List<String> EVENTS = List.of("CHANNEL_CREATE", "CHANNEL_PROGRESS", "CHANNEL_PROGRESS_MEDIA",
            "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE", "CHANNEL_EXECUTE_COMPLETE", "DTMF", "RECORD_STOP",
            "BACKGROUND_JOB");

    private static final Logger log = LoggerFactory.getLogger(CallRunner.class);

    private final FlowCommands commands;
    private final String ttsEngine;
    private final String ttsVoice;
    private final Optional<String> recordingUrl;
    private final Map<String, FreeSwitchCall> calls = new ConcurrentHashMap<>();
    /** Channels that ended lately: their late or repeated events start nothing again. */
    private final Set<String> ended = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 10_000;
                }
            }));
    /** Retries reports that came before the worker stored the call's channel UUID (a fast {@code -ERR}). */
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "irisx-freeswitch-reports");
        t.setDaemon(true);
        return t;
    });
    private volatile EslConnection connection;
    private volatile Function<TenantId, Voice> voices;

    /**
     * An engine dialing through {@code dialString} ({@code {number}} in place of the E.164 number), speaking with
     * {@code ttsEngine} and {@code ttsVoice}, recording into {@code recordingDirectory} on the FreeSWITCH host, whose
     * files the host serves at {@code recordingUrl} (https, the file's name appended) when given.
     */
    public CallRunner(String dialString, String ttsEngine, String ttsVoice, String recordingDirectory,
            Optional<String> recordingUrl) {
        this.commands = new FlowCommands(dialString, ttsEngine, ttsVoice, recordingDirectory);
        this.ttsEngine = ttsEngine;
        this.ttsVoice = ttsVoice;
        this.recordingUrl = recordingUrl;
    }

    /** The connection commands go out on. */
    public void connection(EslConnection connection) {
        this.connection = connection;
    }

    /** Each tenant's calls, where statuses are recorded and flows are found. */
    public void voices(Function<TenantId, Voice> voices) {
        this.voices = voices;
    }

    /**
     * Originates {@code call} with {@code bgapi originate {…}<dial string> &park()} and returns the channel's UUID;
     * the call is parked once answered, and its flow run by this engine. The job's failure ({@code -ERR USER_BUSY})
     * is recorded as the call's status when it comes.
     *
     * @throws EslException when the command got no reply
     * @throws IllegalStateException when FreeSWITCH refused the command
     */
    public String originate(OutgoingCall call) {
        String uuid = UUID.randomUUID().toString();
        String flow = call.flow().orElseThrow();
        FreeSwitchCall state = new FreeSwitchCall(uuid, call.id(), call.tenant(), flow, call.recording(),
                call.timeLimit());
        calls.put(uuid, state);
        String variables = "origination_uuid=" + uuid + ",irisx_call_id=" + call.id().value() + ",irisx_tenant="
                + call.tenant().value() + ",irisx_flow=" + flow + ",origination_caller_id_number=" + call.from()
                + ",originate_timeout=" + call.ringTimeout().toSeconds() + ",tts_engine=" + ttsEngine
                + ",tts_voice=" + ttsVoice;
        CompletableFuture<EslEvent> job;
        try {
            job = connection.bgapi("originate {" + variables + "}" + commands.dial(call.to()) + " &park()",
                    UUID.randomUUID().toString());
        } catch (RuntimeException e) {
            calls.remove(uuid);
            throw e;
        }
        if (job.isCompletedExceptionally()) {
            calls.remove(uuid);
            throw new IllegalStateException(job.handle((event, error) -> error.getMessage()).join());
        }
        job.thenAccept(result -> jobDone(state, result));
        return uuid;
    }

    /** Hangs up channel {@code uuid} with {@code uuid_kill}; false when FreeSWITCH has no such channel. */
    public boolean hangup(String uuid) {
        FreeSwitchCall state = calls.get(uuid);
        if (state != null) {
            synchronized (state) {
                state.hungUpByUs = true;
            }
        }
        return connection.api("uuid_kill " + uuid).isOk();
    }

    /**
     * Makes channel {@code uuid} leave what it runs ({@code uuid_break <uuid> all}) for flow {@code flow} from its
     * first step, or, not yet answered, run {@code flow} once answered; false when FreeSWITCH has no such channel.
     */
    public boolean redirect(CallId id, TenantId tenant, String uuid, String flow) {
        Optional<Flow> target = voice(tenant).flow(flow);
        if (target.isEmpty()) {
            throw new IllegalArgumentException("flow must be a flow of the VoiceModule, was '" + flow + "'");
        }
        FreeSwitchCall state = calls.computeIfAbsent(uuid, u -> {
            FreeSwitchCall found = new FreeSwitchCall(u, id, tenant, flow, RecordingMode.NONE, Duration.ZERO);
            found.answered = true;
            return found;
        });
        synchronized (state) {
            state.flow = flow;
            if (!state.answered) {
                // Not answered yet: the new flow starts when it is.
                return connection.api("uuid_exists " + uuid).body().strip().equals("true");
            }
            state.pending = null;
            if (!connection.api("uuid_break " + uuid + " all").isOk()) {
                return false;
            }
            run(state, target.get(), target.get().start());
        }
        return true;
    }

    @Override
    public void connected(boolean again) {
        if (!again) {
            return;
        }
        for (FreeSwitchCall state : calls.values()) {
            synchronized (state) {
                if (!connection.api("uuid_exists " + state.uuid).body().strip().equals("true")) {
                    log.warn("irisx voice: call {} of tenant {} ({}) ended while the Event Socket was down: its end"
                            + " was not seen, and its status stays as it was", state.id, state.tenant, state.uuid);
                    calls.remove(state.uuid);
                } else if (state.stalled != null) {
                    Flow.Position stalled = state.stalled;
                    state.stalled = null;
                    voice(state.tenant).flow(state.flow).ifPresent(flow -> run(state, flow, stalled));
                }
            }
        }
    }

    @Override
    public void event(EslEvent event) {
        if (event.name().equals("BACKGROUND_JOB")) {
            return;
        }
        FreeSwitchCall state = state(event);
        if (state == null) {
            return;
        }
        synchronized (state) {
            switch (event.name()) {
                case "CHANNEL_PROGRESS", "CHANNEL_PROGRESS_MEDIA" -> report(state, CallStatus.RINGING, "ringing",
                        Optional.empty(), Optional.empty());
                case "CHANNEL_ANSWER" -> answered(state);
                case "CHANNEL_EXECUTE_COMPLETE" -> executed(state, event);
                case "DTMF" -> event.header("DTMF-Digit").ifPresent(state.digits::append);
                case "RECORD_STOP" -> recorded(state, event);
                case "CHANNEL_HANGUP_COMPLETE" -> ended(state, event);
                default -> log.debug("irisx voice: {} for call {}", event.name(), state.id);
            }
        }
    }

    /** The state of the call {@code event} concerns: known here, or named by its channel variables. */
    private FreeSwitchCall state(EslEvent event) {
        String uuid = event.uniqueId().orElse("");
        if (ended.contains(uuid)) {
            return null;
        }
        FreeSwitchCall known = calls.get(uuid);
        if (known != null) {
            return known;
        }
        Optional<String> id = event.variable("irisx_call_id");
        Optional<String> tenant = event.variable("irisx_tenant");
        if (uuid.isEmpty() || id.isEmpty() || tenant.isEmpty()) {
            return null;
        }
        try {
            FreeSwitchCall found = new FreeSwitchCall(uuid, CallId.parse(id.get()), TenantId.of(tenant.get()),
                    event.variable("irisx_flow").orElse(""), RecordingMode.NONE, Duration.ZERO);
            // Followed again after a restart: a call answered before it runs no flow here (its position is lost).
            found.answered = !event.name().equals("CHANNEL_ANSWER")
                    && event.header("Answer-State").filter("answered"::equals).isPresent();
            return calls.computeIfAbsent(uuid, u -> found);
        } catch (IllegalArgumentException e) {
            log.warn("irisx voice: channel {} names a call IRISX cannot read: {}", uuid, e.getMessage());
            return null;
        }
    }

    private void answered(FreeSwitchCall state) {
        boolean again = state.answered;
        state.answered = true;
        report(state, CallStatus.IN_PROGRESS, "answered", Optional.empty(), Optional.empty());
        if (again) {
            return;
        }
        if (!state.timeLimit.isZero()) {
            connection.api("sched_hangup +" + state.timeLimit.toSeconds() + " " + state.uuid + " ALLOTTED_TIMEOUT");
        }
        if (state.recording != RecordingMode.NONE) {
            if (state.recording == RecordingMode.DUAL) {
                send(state, "set", "RECORD_STEREO=true");
            }
            send(state, "record_session", commands.recordingPath(state.uuid));
        }
        Optional<Flow> flow = voice(state.tenant).flow(state.flow);
        if (flow.isEmpty()) {
            log.error("irisx voice: call {} of tenant {} runs flow '{}', which the VoiceModule does not have; hanging"
                    + " up", state.id, state.tenant, state.flow);
            send(state, "hangup", "NORMAL_CLEARING");
            return;
        }
        run(state, flow.get(), flow.get().start());
    }

    private void executed(FreeSwitchCall state, EslEvent event) {
        String app = event.header("Application-UUID").orElse("");
        if (state.pending == null || !state.pending.equals(app)) {
            return;
        }
        state.pending = null;
        Optional<Flow> flow = voice(state.tenant).flow(state.flow);
        if (flow.isEmpty() || state.position == null) {
            return;
        }
        Step step = state.position.step();
        Optional<Flow.Position> next;
        if (step instanceof Step.Gather gather) {
            String digits = event.variable(FlowCommands.DIGITS).orElse(state.digits.toString()).strip();
            next = flow.get().afterGather(gather, state.position.attempt(), digits, "");
        } else {
            next = flow.get().after(step);
        }
        if (next.isPresent()) {
            run(state, flow.get(), next.get());
        } else if (!(step instanceof Step.Hangup)) {
            // The end of the flow: the call ends, as TwiML's does.
            send(state, "hangup", "NORMAL_CLEARING");
        }
    }

    /** Sends the applications of {@code position}, the last one awaited; a redirect switches to its flow. */
    private void run(FreeSwitchCall state, Flow flow, Flow.Position position) {
        Step step = position.step();
        if (step instanceof Step.Redirect redirect) {
            Optional<Flow> target = voice(state.tenant).flow(redirect.flow());
            if (target.isPresent()) {
                state.flow = redirect.flow();
                run(state, target.get(), target.get().start());
            }
            return;
        }
        state.position = position;
        state.digits.setLength(0);
        String recordingName = state.uuid + "-" + (++state.recordings);
        // With the module's text-to-speech, a say prompt is synthesized (or found in the cache) here, before its
        // step is sent, and played from its audio URL.
        Voice voice = voice(state.tenant);
        List<FlowCommands.App> apps = commands.apps(step, position.attempt(), recordingName, voice::speechUrl);
        try {
            String last = null;
            for (FlowCommands.App app : apps) {
                last = send(state, app.name(), app.arg());
            }
            state.pending = last;
        } catch (EslException e) {
            state.stalled = position;
            log.warn("irisx voice: step {} of flow {} for call {} not sent ({}); sent again once reconnected",
                    step.id(), flow.name(), state.id, e.getMessage());
        }
    }

    private String send(FreeSwitchCall state, String app, String arg) {
        String appUuid = UUID.randomUUID().toString();
        EslMessage reply = connection.execute(state.uuid, app, arg, appUuid);
        if (!reply.isOk()) {
            log.warn("irisx voice: FreeSWITCH refused {} for call {} ({}): {}", app, state.id, state.uuid,
                    reply.replyText());
        }
        return appUuid;
    }

    private void recorded(FreeSwitchCall state, EslEvent event) {
        String path = event.header("Record-File-Path").orElse(event.variable("record_file_path").orElse(""));
        if (path.isEmpty()) {
            return;
        }
        if (recordingUrl.isEmpty()) {
            log.warn("irisx voice: call {} recorded {} on FreeSWITCH, but no recording URL is configured: it is not"
                    + " stored", state.id, path);
            return;
        }
        String file = path.substring(path.lastIndexOf('/') + 1);
        Optional<Duration> duration = event.variable("record_seconds").filter(s -> s.matches("[0-9]{1,5}"))
                .map(Long::parseLong).map(Duration::ofSeconds)
                .or(() -> event.variable("record_ms").filter(s -> s.matches("[0-9]{1,8}"))
                        .map(ms -> Duration.ofSeconds(Long.parseLong(ms) / 1000)));
        int channels = state.recording == RecordingMode.DUAL && path.endsWith("/" + state.uuid + ".wav") ? 2 : 1;
        try {
            voice(state.tenant).record(new RecordingReport(PROVIDER, state.uuid, file, recordingUrl.get() + "/" + file,
                    duration, channels, RecordingReport.COMPLETED, voice(state.tenant).clock().instant()));
        } catch (IllegalArgumentException e) {
            log.warn("irisx voice: the recording {} of call {} cannot be stored: {}", file, state.id, e.getMessage());
        }
    }

    private void ended(FreeSwitchCall state, EslEvent event) {
        ended.add(state.uuid);
        calls.remove(state.uuid);
        String cause = event.header("Hangup-Cause").orElse(event.variable("hangup_cause").orElse("NONE"));
        boolean answered = state.answered || event.variable("answer_epoch").filter(e -> !e.equals("0")).isPresent();
        CallStatus status = HangupCauses.status(cause, answered, state.hungUpByUs);
        Optional<Duration> billed = event.variable("billsec").filter(s -> s.matches("[0-9]{1,5}"))
                .map(Long::parseLong).map(Duration::ofSeconds);
        Optional<String> code = status == CallStatus.COMPLETED ? Optional.empty()
                : event.variable("hangup_cause_q850").filter(c -> c.matches("[0-9]{1,3}"));
        report(state, status, cause, answered ? billed : Optional.empty(), code);
    }

    private void jobDone(FreeSwitchCall state, EslEvent result) {
        String body = result.body().strip();
        if (!body.startsWith("-ERR")) {
            return;
        }
        String cause = body.substring(4).strip();
        synchronized (state) {
            ended.add(state.uuid);
            calls.remove(state.uuid);
            report(state, HangupCauses.status(cause, false, state.hungUpByUs), cause.isEmpty() ? "ERR" : cause,
                    Optional.empty(), Optional.empty());
        }
    }

    private void report(FreeSwitchCall state, CallStatus status, String word, Optional<Duration> duration,
            Optional<String> errorCode) {
        String providerStatus = word.toLowerCase(Locale.ROOT);
        providerStatus = providerStatus.length() > 32 ? providerStatus.substring(0, 32) : providerStatus;
        Voice voice = voice(state.tenant);
        CallReport report = new CallReport(PROVIDER, state.uuid, status, providerStatus, duration, Optional.empty(),
                errorCode, voice.clock().instant());
        apply(state, voice, report, 0);
    }

    /**
     * Records {@code report}; when the tenant has no call of that channel yet — the event outran the worker, which
     * stores the UUID once {@code originate} returns — tries again after 50 ms, doubling, up to 8 tries.
     */
    private void apply(FreeSwitchCall state, Voice voice, CallReport report, int tries) {
        try {
            if (voice.record(report).isPresent()) {
                return;
            }
            if (tries < 8) {
                later.schedule(() -> apply(state, voice, report, tries + 1), 50L << tries, TimeUnit.MILLISECONDS);
            } else {
                log.warn("irisx voice: tenant {} has no call placed as FreeSWITCH channel {}: its status {} is"
                        + " dropped", state.tenant, state.uuid, report.status());
            }
        } catch (RuntimeException e) {
            log.error("irisx voice: recording status {} of call {} of tenant {} failed: {}", report.status(),
                    state.id, state.tenant, e.toString());
        }
    }

    /** Stops retrying reports. */
    @Override
    public void close() {
        later.shutdownNow();
    }

    private Voice voice(TenantId tenant) {
        Function<TenantId, Voice> current = voices;
        if (current == null) {
            throw new IllegalStateException("the FreeSWITCH provider is not registered on an installed VoiceModule");
        }
        return current.apply(tenant);
    }

    /** The UUIDs of the calls being followed, for diagnostics. */
    public List<String> calls() {
        return new ArrayList<>(calls.keySet());
    }
}
