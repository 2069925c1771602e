package io.cohort.ingest.messaging;

import io.cohort.ingest.api.WebhookConfig;
import io.cohort.ingest.domain.webhook.SnsMessage;
import io.cohort.ingest.domain.webhook.WebhookAuthenticationException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Signing keys for SNS messages: the configured trusted PEM, else the certificate at the
 * (already host-checked) {@code SigningCertURL}, fetched over https without redirects and cached.
 * Also visits SubscribeURLs to confirm subscriptions (same host rule).
 */
@ApplicationScoped
public class SnsCertificates {

    private static final Logger LOG = Logger.getLogger(SnsCertificates.class);

    private final PublicKey trusted;
    private final Map<URI, PublicKey> cache = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public SnsCertificates(WebhookConfig config) {
        this.trusted = config.ses().signingCertPem().filter(p -> !p.isBlank()).map(SnsCertificates::parsePem).orElse(null);
    }

    public PublicKey keyFor(URI certUrl) {
        if (trusted != null) {
            return trusted;
        }
        return cache.computeIfAbsent(certUrl, this::fetch);
    }

    /** Visits an SNS SubscribeURL (host already checked); true when SNS answered 200. */
    public boolean confirm(URI subscribeUrl) {
        try {
            SnsMessage.snsUri(subscribeUrl.toString(), "SubscribeURL");
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(subscribeUrl).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (Exception e) {
            LOG.warnf("SNS subscription confirmation failed: %s", e.getClass().getSimpleName());
            return false;
        }
    }

    private PublicKey fetch(URI certUrl) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(certUrl).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new WebhookAuthenticationException("The SNS signing certificate could not be fetched");
            }
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(response.body()));
            cert.checkValidity();
            return cert.getPublicKey();
        } catch (WebhookAuthenticationException e) {
            throw e;
        } catch (Exception e) {
            throw new WebhookAuthenticationException("The SNS signing certificate could not be fetched or read");
        }
    }

    /** A PEM certificate, or a PEM/base64 RSA public key. */
    public static PublicKey parsePem(String pem) {
        try {
            if (pem.contains("BEGIN CERTIFICATE")) {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                        .getPublicKey();
            }
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalArgumentException("cohort.ingest.webhooks.ses.signing-cert-pem is not a PEM certificate or key", e);
        }
    }
}
