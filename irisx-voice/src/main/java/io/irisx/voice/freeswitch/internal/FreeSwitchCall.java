package io.irisx.voice.freeswitch.internal;

import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import io.irisx.voice.RecordingMode;
import io.irisx.voice.flow.Flow;
import java.time.Duration;

/**
 * What the provider knows of one call on FreeSWITCH: whose it is, the flow it runs and where in it, and the application
 * whose completion moves it on. Guarded by its own monitor: events and the API's redirects both change it.
 */
final class FreeSwitchCall {

    final String uuid;
    final CallId id;
    final TenantId tenant;
    final RecordingMode recording;
    final Duration timeLimit;
    String flow;
    Flow.Position position;
    /** The {@code Application-UUID} of the application that ends the current step, or null. */
    String pending;
    /** The position that could not be sent (the connection dropped), to send again once reconnected. */
    Flow.Position stalled;
    final StringBuilder digits = new StringBuilder();
    boolean answered;
    boolean hungUpByUs;
    int recordings;

    FreeSwitchCall(String uuid, CallId id, TenantId tenant, String flow, RecordingMode recording, Duration timeLimit) {
        this.uuid = uuid;
        this.id = id;
        this.tenant = tenant;
        this.flow = flow;
        this.recording = recording;
        this.timeLimit = timeLimit;
    }

    @Override
    public String toString() {
        return "FreeSwitchCall[" + id + " as " + uuid + "]";
    }
}
