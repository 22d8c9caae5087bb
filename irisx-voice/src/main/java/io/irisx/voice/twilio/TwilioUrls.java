package io.irisx.voice.twilio;

import io.irisx.core.TenantId;
import io.irisx.core.secret.Redaction;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The URLs Twilio is given for a tenant's calls — where it fetches a flow's TwiML, where it reports statuses — built
 * from the host's templates, and the query parameters that say which flow and step a request is for. The provider
 * builds them when it places a call, the callback handler when it answers one, so both build them here, alike.
 * Stateless.
 */
final class TwilioUrls {

    /** What a template holds where the tenant's id goes. */
    static final String TENANT = "{tenant}";

    private TwilioUrls() {
    }

    /**
     * Checks a URL template given to a builder as {@code field}: an http(s) URL with a host once {@code {tenant}} is
     * filled in, of at most 1,024 characters.
     *
     * @throws IllegalArgumentException naming the field and the URL, its secrets redacted
     */
    static String template(String field, String template) {
        Objects.requireNonNull(template, field);
        URI uri;
        try {
            uri = URI.create(template.replace(TENANT, "tenant"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be an http(s) URL, was '" + Redaction.url(template) + "'");
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                || uri.getFragment() != null || template.length() > 1024) {
            throw new IllegalArgumentException(field + " must be an http(s) URL with a host, no fragment, of at most"
                    + " 1024 characters, was '" + Redaction.url(template) + "'");
        }
        return template;
    }

    /** {@code template} for {@code tenant}: each {@code {tenant}} in it replaced by the tenant's id. */
    static String resolve(String template, TenantId tenant) {
        return template.replace(TENANT, tenant.value());
    }

    /** {@code base} with {@code parameters} appended to its query, each URL-encoded, in order. */
    static String with(String base, Map<String, String> parameters) {
        StringBuilder url = new StringBuilder(base);
        char separator = base.indexOf('?') >= 0 ? '&' : '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        return url.toString();
    }

    /** The URL Twilio fetches for {@code flow}'s {@code step} (its start when {@code step} is null), attempt {@code attempt}. */
    static String flow(String base, String flow, String step, int attempt) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("flow", flow);
        if (step != null) {
            parameters.put("step", step);
            parameters.put("attempt", Integer.toString(attempt));
        }
        return with(base, parameters);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
