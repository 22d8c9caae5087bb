package io.irisx.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Form posts signed as Twilio signs its webhooks (twilio.com/docs/usage/webhooks/webhooks-security): the
 * {@code X-Twilio-Signature} is the Base64 HMAC-SHA1, keyed with the auth token, of the full URL followed by each
 * POST parameter's name and value, sorted by name; computed with the JDK's {@link Mac}, independently of IRISX's own
 * check. Stateless. A post becomes the request type of the code under test with {@link SignedForm#as}, e.g.
 * {@code TwilioSignatures.signed(token, url, params).as(CallbackRequest::post)}.
 */
public final class TwilioSignatures {

    private TwilioSignatures() {
    }

    /** A form POST of {@code params} to {@code url}, signed with {@code token}. */
    public static SignedForm signed(String token, String url, Map<String, String> params) {
        return signed(params, signature(token, url, params));
    }

    /** A form POST of {@code params} carrying {@code signature}, right or not. */
    public static SignedForm signed(Map<String, String> params, String signature) {
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return new SignedForm(Map.of("X-Twilio-Signature", List.of(signature),
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

    /**
     * A signed form POST as Twilio sends it; immutable.
     *
     * @param headers its headers: the signature and the form's content type
     * @param body its URL-encoded parameters
     */
    public record SignedForm(Map<String, List<String>> headers, String body) {

        /** Checks and copies every field. */
        public SignedForm {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        /** This post as the request {@code request} makes of its headers and body: {@code CallbackRequest::post}. */
        public <R> R as(BiFunction<Map<String, List<String>>, String, R> request) {
            return request.apply(headers, body);
        }
    }
}
