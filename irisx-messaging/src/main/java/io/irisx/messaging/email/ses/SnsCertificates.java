package io.irisx.messaging.email.ses;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The certificates Amazon SNS signs with, fetched from the {@code SigningCertURL} of its messages and kept per URL;
 * thread-safe. Only an https URL on an SNS host is ever fetched ({@link #isSnsUrl}). Not API.
 */
final class SnsCertificates {

    /** How many certificates are kept: SNS signs with one per region, replaced now and then. */
    static final int CACHE_SIZE = 32;
    /** The most a certificate may weigh; SNS's weigh about 2 KiB. */
    static final int MAX_BYTES = 64 * 1024;

    /** {@code sns.<region>.amazonaws.com}, or {@code sns.<region>.amazonaws.com.cn} in the China partition. */
    private static final Pattern SNS_HOST =
            Pattern.compile("sns\\.[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}\\.amazonaws\\.com(?:\\.cn)?");

    private final SesEvents.Fetcher fetcher;
    private final Map<String, X509Certificate> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, X509Certificate> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    SnsCertificates(SesEvents.Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** Whether {@code url} is an https URL on an Amazon SNS host, on the default port, without user info. */
    static boolean isSnsUrl(URI url) {
        return "https".equalsIgnoreCase(url.getScheme()) && url.getRawUserInfo() == null
                && (url.getPort() == -1 || url.getPort() == 443) && url.getHost() != null
                && SNS_HOST.matcher(url.getHost().toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * The certificate at {@code url}, which must be an SNS URL, valid at {@code now}: the one kept, else fetched.
     *
     * @throws IOException when it cannot be fetched (a retry may succeed)
     * @throws CertificateException when what was fetched is no X.509 certificate, or one not valid at {@code now}
     */
    X509Certificate get(URI url, Instant now) throws IOException, CertificateException {
        if (!isSnsUrl(url)) {
            throw new IllegalArgumentException("not an Amazon SNS URL: " + url);
        }
        String key = url.toString();
        X509Certificate certificate;
        synchronized (cache) {
            certificate = cache.get(key);
        }
        if (certificate == null) {
            certificate = parse(fetcher.fetch(url));
            synchronized (cache) {
                cache.put(key, certificate);
            }
        }
        certificate.checkValidity(Date.from(now));
        return certificate;
    }

    private static X509Certificate parse(byte[] bytes) throws CertificateException {
        if (bytes == null || bytes.length == 0) {
            throw new CertificateException("the certificate URL answered nothing");
        }
        if (bytes.length > MAX_BYTES) {
            throw new CertificateException("the certificate URL answered " + bytes.length + " bytes, more than the "
                    + MAX_BYTES + " a certificate may have");
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(bytes));
    }
}
