package io.irisx.core.tenant;

import io.irisx.core.IrisxException;

/** An authenticated API key does not allow what the request asks; the host answers 403. */
public class MissingScopeException extends IrisxException {

    private final ApiScope scope;

    /** @param scope the scope the request needs */
    public MissingScopeException(ApiScope scope) {
        super("the API key does not allow " + scope.wireName());
        this.scope = scope;
    }

    /** The scope the request needs. */
    public ApiScope scope() {
        return scope;
    }
}
