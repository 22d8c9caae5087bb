package io.irisx.core;

import java.util.Objects;

/** The thing asked for does not exist for this tenant (it may exist for another, which is not to be told). */
public class NotFoundException extends IrisxException {

    private final String kind;
    private final String id;

    /**
     * @param kind what was looked for, e.g. {@code "endpoint"}
     * @param id its id
     */
    public NotFoundException(String kind, String id) {
        super(Objects.requireNonNull(kind, "kind") + " '" + Objects.requireNonNull(id, "id") + "' not found");
        this.kind = kind;
        this.id = id;
    }

    /** What was looked for. */
    public String kind() {
        return kind;
    }

    /** The id that was not found. */
    public String id() {
        return id;
    }
}
