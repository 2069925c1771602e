package io.cohort.ingest.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * {@code cohort.ingest.webhooks.*}: each provider is off until its secret is configured
 * (SES: until {@code ses.enabled=true}); an unconfigured provider answers 403.
 */
@ConfigMapping(prefix = "cohort.ingest.webhooks")
public interface WebhookConfig {

    /** Key of the HMAC-SHA256 that turns a recipient email into a pseudonymous subscriber id. */
    Optional<String> pseudonymPepper();

    SendGrid sendgrid();

    Mailgun mailgun();

    Postmark postmark();

    Ses ses();

    interface SendGrid {
        /** The signed event webhook's verification key (base64 DER, as SendGrid shows it). */
        Optional<String> publicKey();
    }

    interface Mailgun {
        /** The HTTP webhook signing key. */
        Optional<String> signingKey();
    }

    interface Postmark {
        /** HTTP Basic credentials put in the Postmark webhook URL. */
        Optional<String> username();

        Optional<String> password();
    }

    interface Ses {
        @WithDefault("false")
        boolean enabled();

        /** Only notifications from these SNS topics are taken (none configured: any topic). */
        Optional<List<String>> topicArns();

        /**
         * A PEM certificate or public key trusted for every SNS signature instead of fetching
         * {@code SigningCertURL} (air-gapped installs, tests). The URL is still checked.
         */
        Optional<String> signingCertPem();

        /** Confirm SNS subscriptions by visiting their SubscribeURL (an sns.*.amazonaws.com URL). */
        @WithDefault("true")
        boolean autoConfirm();
    }
}
