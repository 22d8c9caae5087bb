package io.irisx.messaging.sms;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Requests signed as Twilio signs its webhooks (twilio.com/docs/usage/webhooks/webhooks-security): the
 * {@code X-Twilio-Signature} is the Base64 HMAC-SHA1, keyed with the auth token, of the full URL followed by each
 * POST parameter's name and value, sorted by name; computed with the JDK's {@link Mac}.
 */
public final class TwilioSignatures {

    private TwilioSignatures() {
    }

    /** A form POST of {@code params} to {@code url}, signed with {@code token}. */
    public static CallbackRequest signed(String token, String url, Map<String, String> params) {
        return signed(params, signature(token, url, params));
    }

    /** A form POST of {@code params} carrying {@code signature}. */
    public static CallbackRequest signed(Map<String, String> params, String signature) {
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return CallbackRequest.post(Map.of("X-Twilio-Signature", List.of(signature),
                "Content-Type", List.of("application/x-www-form-urlencoded")), body);
    }

    /** Twilio's signature of {@code params} posted to {@code url}, with {@code token}. */
    public static String signature(String token, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JDK", e);
        }
    }
}
