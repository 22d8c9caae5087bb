package io.irisx.reference;

import io.irisx.core.AuthenticationException;
import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.tenant.ApiKey;
import io.irisx.core.tenant.ApiScope;
import io.irisx.core.tenant.Authentication;
import io.irisx.core.tenant.TenantInfo;
import io.irisx.core.tenant.TenantStatus;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Short-lived tokens the host issues for one tenant's customer ({@code irxp_…}): the credential of a customer
 * webhook portal. A token names its tenant and expiry, signed with HMAC-SHA256 under the app's portal key
 * ({@code app.portal-signing-key}, base64 of 32 bytes; else a random key of this process, so that its tokens end with
 * it). It authenticates as its tenant with the {@code webhooks:manage} scope alone: the webhook routes of that tenant,
 * nothing of another. Thread-safe.
 */
@Component
final class PortalTokens {

    static final String PREFIX = "irxp_";
    static final Duration MAX_TTL = Duration.ofHours(1);
    static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /**
     * A token issued.
     *
     * @param token the token's text, for the customer's browser
     * @param tenant the tenant it acts for
     * @param expiresAt when it stops working
     * @param scopes what it allows
     */
    record Issued(String token, TenantId tenant, Instant expiresAt, Set<String> scopes) {
    }

    private final Irisx irisx;
    private final byte[] key;

    PortalTokens(Irisx irisx, AppProperties app) {
        this.irisx = irisx;
        this.key = app.portalSigningKey().isEmpty() ? random() : decode(app.portalSigningKey());
    }

    /** A token for {@code tenant}, valid for {@code ttl} (up to an hour). */
    Issued issue(TenantId tenant, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttlSeconds must be between 1 and " + MAX_TTL.toSeconds() + ", was "
                    + ttl.toSeconds());
        }
        Instant expiresAt = irisx.clock().instant().plus(ttl);
        String payload = ENCODER.encodeToString((tenant.value() + "|" + expiresAt.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        return new Issued(PREFIX + payload + "." + ENCODER.encodeToString(mac(payload)), tenant, expiresAt,
                Set.of(ApiScope.WEBHOOKS_MANAGE.wireName()));
    }

    /** Whether {@code token} is a portal token (else an API key). */
    static boolean isPortalToken(String token) {
        return token.startsWith(PREFIX);
    }

    /**
     * The authentication of a portal token: its tenant with {@code webhooks:manage}. A malformed, forged or expired
     * token, or one of a tenant no longer registered or active, is an {@link AuthenticationException}.
     */
    Authentication authenticate(String token) {
        String body = token.substring(PREFIX.length());
        int dot = body.indexOf('.');
        if (dot < 1) {
            throw new AuthenticationException();
        }
        String payload = body.substring(0, dot);
        byte[] signature;
        String[] parts;
        try {
            signature = DECODER.decode(body.substring(dot + 1));
            parts = new String(DECODER.decode(payload), StandardCharsets.UTF_8).split("\\|");
        } catch (IllegalArgumentException malformed) {
            throw new AuthenticationException();
        }
        if (!MessageDigest.isEqual(mac(payload), signature) || parts.length != 2) {
            throw new AuthenticationException();
        }
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[1]));
        Optional<TenantInfo> tenant = irisx.tenants().find(TenantId.of(parts[0]));
        if (!irisx.clock().instant().isBefore(expiresAt) || tenant.isEmpty()
                || tenant.get().status() != TenantStatus.ACTIVE) {
            throw new AuthenticationException();
        }
        return new Authentication(irisx.tenant(tenant.get().id()), "portal", ApiKey.Mode.LIVE,
                Set.of(ApiScope.WEBHOOKS_MANAGE));
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static byte[] random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static byte[] decode(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("app.portal-signing-key must be base64 of 32 bytes");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("app.portal-signing-key must be base64 of 32 bytes, was " + key.length
                    + " bytes");
        }
        return key;
    }

    @Override
    public String toString() {
        return "PortalTokens";
    }
}
