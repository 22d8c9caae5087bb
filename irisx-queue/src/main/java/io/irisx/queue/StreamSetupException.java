package io.irisx.queue;

import io.irisx.core.IrisxException;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The JetStream server refused to create or update one of the outbox's streams; the message names the stream, the
 * server's error and what to do. Nothing is left half set up: a stream the server refused does not exist. Immutable.
 */
public final class StreamSetupException extends IrisxException {

    /** JetStream's error code for a stream whose reservation does not fit in the server's or account's storage. */
    static final int INSUFFICIENT_STORAGE = 10047;
    /** JetStream's error code for a memory stream whose reservation does not fit. */
    static final int INSUFFICIENT_MEMORY = 10028;
    /** JetStream's error code for subjects another stream holds. */
    static final int SUBJECTS_OVERLAP = 10065;
    /** JetStream's error code for an account that requires every stream to have a byte limit. */
    static final int MAX_BYTES_REQUIRED = 10113;

    private final String stream;
    private final int apiErrorCode;

    /**
     * @param stream the stream's name
     * @param action what was tried ("creating", "updating")
     * @param apiErrorCode JetStream's error code, 0 when the server gave none (the request failed on the way)
     * @param serverError the server's (or the client's) description of the failure
     * @param cause the client's exception
     */
    StreamSetupException(String stream, String action, int apiErrorCode, String serverError, Throwable cause) {
        super(action + " the JetStream stream " + stream + " failed: " + serverError
                + (apiErrorCode > 0 ? " (JetStream error " + apiErrorCode + ")" : "") + "; " + remedy(apiErrorCode),
                cause);
        this.stream = Objects.requireNonNull(stream, "stream");
        this.apiErrorCode = apiErrorCode;
    }

    /** The stream's name, namespace included. */
    public String stream() {
        return stream;
    }

    /** JetStream's error code ({@code 10047} for insufficient storage), when the server answered with one. */
    public OptionalInt apiErrorCode() {
        return apiErrorCode > 0 ? OptionalInt.of(apiErrorCode) : OptionalInt.empty();
    }

    private static String remedy(int code) {
        return switch (code) {
            case INSUFFICIENT_STORAGE, INSUFFICIENT_MEMORY -> "the server reserves a stream's maxBytes when it creates"
                    + " it: give the stream no byte limit (StreamSettings.NO_BYTE_LIMIT, the default) or a smaller one"
                    + " (JetStreamOutbox.Builder.stream), or raise the server's jetstream max_file_store"
                    + " (max_memory_store) or the account's limits";
            case SUBJECTS_OVERLAP -> "another stream holds its subjects: delete that stream, or put this outbox's"
                    + " streams under a namespace of their own (JetStreamOutbox.Builder.namespace)";
            case MAX_BYTES_REQUIRED -> "the account requires a byte limit on every stream: give the streams one"
                    + " (StreamSettings.withLimits, JetStreamOutbox.Builder.stream)";
            default -> "check the server's JetStream settings and log; the records wait in the outbox table meanwhile";
        };
    }
}
