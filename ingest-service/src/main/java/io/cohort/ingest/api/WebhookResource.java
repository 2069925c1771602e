package io.cohort.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cohort.contracts.EventEnvelope;
import io.cohort.ingest.domain.EventValidator;
import io.cohort.ingest.domain.ValidationResult;
import io.cohort.ingest.domain.webhook.MailgunLegacyForm;
import io.cohort.ingest.domain.webhook.MailgunWebhook;
import io.cohort.ingest.domain.webhook.PostmarkWebhook;
import io.cohort.ingest.domain.webhook.SendGridWebhook;
import io.cohort.ingest.domain.webhook.SesWebhook;
import io.cohort.ingest.domain.webhook.SnsMessage;
import io.cohort.ingest.domain.webhook.SubscriberIds;
import io.cohort.ingest.domain.webhook.WebhookAuthenticationException;
import io.cohort.ingest.domain.webhook.WebhookCalls;
import io.cohort.ingest.domain.webhook.WebhookPayloadException;
import io.cohort.ingest.messaging.DeadLetter;
import io.cohort.ingest.messaging.DeadLetterPublisher;
import io.cohort.ingest.messaging.SnsCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * ESP event webhooks: SendGrid, Mailgun, Postmark and Amazon SES (through SNS). Each delivery is
 * authenticated the provider's way, mapped to canonical Segment email events keyed by subscriber
 * id (never an email), validated like any tracking call and accepted through the same idempotent
 * intake: a provider retry is acknowledged as a duplicate. Nothing of a delivery whose signature
 * fails is used (401 problem).
 */
// @PermitAll: provider webhooks are public by design: each request is authenticated in code by its
// provider's signature or shared secret (WebhookConfig), never a bearer token
@PermitAll
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks", description = "ESP event webhooks (SendGrid, Mailgun, Postmark, Amazon SES via SNS)")
public class WebhookResource {

    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    private final WebhookConfig config;
    private final ObjectMapper json;
    private final EventIntake intake;
    private final DeadLetterPublisher deadLetters;
    private final SnsCertificates certificates;
    private final SubscriberIds subscriberIds;
    private final EventValidator validator = new EventValidator();
    private final Clock clock;
    private final MeterRegistry registry;
    private final SendGridWebhook sendGrid;
    private final MailgunWebhook mailgun;
    private final PostmarkWebhook postmark;

    public WebhookResource(WebhookConfig config, ObjectMapper json, EventIntake intake, DeadLetterPublisher deadLetters,
            SnsCertificates certificates, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.json = json;
        this.intake = intake;
        this.deadLetters = deadLetters;
        this.certificates = certificates;
        this.clock = clock;
        this.registry = registry;
        this.subscriberIds = new SubscriberIds(config.pseudonymPepper());
        this.sendGrid = config.sendgrid().publicKey().filter(k -> !k.isBlank()).map(SendGridWebhook::new).orElse(null);
        this.mailgun = config.mailgun().signingKey().filter(k -> !k.isBlank()).map(MailgunWebhook::new).orElse(null);
        this.postmark = config.postmark().username().isPresent() && config.postmark().password().isPresent()
                ? new PostmarkWebhook(config.postmark().username().get(), config.postmark().password().get())
                : null;
    }

    @POST
    @Path("/{provider}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Receive an ESP event webhook (provider: sendgrid, mailgun, postmark, ses)",
            description = "Mailgun: the JSON webhooks and the legacy form-encoded ones "
                    + "(application/x-www-form-urlencoded), both signed with the webhook signing key. Answers 200 {accepted, duplicates, rejected, ignored, unattributed}; 401 problem when the "
                    + "signature or credentials do not verify (nothing published); 403 when the provider is not "
                    + "configured; 404 for an unknown provider.")
    public WebhookResult receive(@PathParam("provider") String provider, byte[] body, @Context HttpHeaders headers) {
        if ("ses".equals(provider)) {
            return receiveSes(body);
        }
        WebhookCalls calls = switch (provider) {
            case "sendgrid" -> {
                SendGridWebhook webhook = require(sendGrid, provider, "sendgrid.public-key");
                webhook.verify(headers.getHeaderString(SendGridWebhook.SIGNATURE_HEADER),
                        headers.getHeaderString(SendGridWebhook.TIMESTAMP_HEADER), body);
                yield SendGridWebhook.map(parse(body), subscriberIds);
            }
            case "mailgun" -> {
                MailgunWebhook webhook = require(mailgun, provider, "mailgun.signing-key");
                // legacy webhooks post a form; the current ones JSON: both carry the same signature
                JsonNode parsed = isForm(headers)
                        ? MailgunLegacyForm.toJsonWebhook(MailgunLegacyForm.parse(body))
                        : parse(body);
                webhook.verify(parsed);
                yield MailgunWebhook.map(parsed, subscriberIds);
            }
            case "postmark" -> {
                PostmarkWebhook webhook = require(postmark, provider, "postmark.username/password");
                webhook.verify(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
                yield PostmarkWebhook.map(parse(body), subscriberIds);
            }
            default -> throw new NotFoundException("No webhook for provider '" + provider
                    + "'; known: sendgrid, mailgun, postmark, ses");
        };
        return accept(provider, calls);
    }

    private WebhookResult receiveSes(byte[] body) {
        require(config.ses().enabled() ? Boolean.TRUE : null, "ses", "ses.enabled");
        SnsMessage message = new SnsMessage(parse(body));
        message.verify(certificates::keyFor);
        if (config.ses().topicArns().isPresent() && !config.ses().topicArns().get().contains(message.topicArn())) {
            throw new WebhookAuthenticationException("The SNS topic is not one of cohort.ingest.webhooks.ses.topic-arns");
        }
        if (message.isSubscriptionConfirmation()) {
            return confirm(message);
        }
        if (!message.isNotification()) {
            return new WebhookResult(0, 0, 0, 1, 0, null);
        }
        JsonNode ses;
        try {
            ses = json.readTree(message.message() == null ? "" : message.message());
        } catch (IOException e) {
            throw new WebhookPayloadException("/Message", "is not an SES event (JSON)");
        }
        return accept("ses", SesWebhook.map(message.messageId(), ses, subscriberIds));
    }

    private WebhookResult accept(String provider, WebhookCalls calls) {
        Instant receivedAt = Instant.now(clock);
        List<EventEnvelope> envelopes = new ArrayList<>();
        List<DeadLetter> letters = new ArrayList<>();
        for (Map<String, Object> call : calls.calls()) {
            ValidationResult result = validator.validate(call, null, "", Map.of(), receivedAt);
            if (result.isValid()) {
                envelopes.add(result.envelope());
            } else {
                letters.add(DeadLetter.of(call, "/v1/webhooks/" + provider, result.errors(), receivedAt));
            }
        }
        EventIntake.IntakeResult accepted = envelopes.isEmpty()
                ? new EventIntake.IntakeResult(true, 0, 0, List.of())
                : intake.accept(envelopes);
        deadLetters.publishAll(letters);
        registry.counter("cohort.ingest.webhook.events", "provider", provider).increment(accepted.accepted());
        LOG.debugf("%s webhook: %d accepted, %d duplicates, %d rejected, %d ignored, %d unattributed", provider,
                accepted.accepted(), accepted.duplicates(), letters.size(), calls.ignored(), calls.unattributed());
        return new WebhookResult(accepted.accepted(), accepted.duplicates(), letters.size(), calls.ignored(),
                calls.unattributed(), null);
    }

    private WebhookResult confirm(SnsMessage message) {
        String state;
        if (config.ses().autoConfirm()) {
            state = certificates.confirm(message.subscribeUrl()) ? "confirmed" : "failed";
        } else {
            message.subscribeUrl();
            state = "pending";
        }
        LOG.infof("SNS subscription confirmation for %s: %s", message.topicArn(), state);
        return new WebhookResult(0, 0, 0, 0, 0, state);
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new WebhookPayloadException("/", "is empty");
            }
            return node;
        } catch (IOException e) {
            throw new WebhookPayloadException("/", "is not well-formed JSON");
        }
    }

    private static boolean isForm(HttpHeaders headers) {
        MediaType type = headers.getMediaType();
        return type != null && type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
    }

    private static <T> T require(T webhook, String provider, String setting) {
        if (webhook == null) {
            throw AuthenticationFailedException.forbidden("The " + provider
                    + " webhook is not configured (cohort.ingest.webhooks." + setting + ")");
        }
        return webhook;
    }

    /**
     * {@code accepted} new events published, {@code duplicates} redeliveries, {@code rejected}
     * mapped events that failed validation (also on the DLQ), {@code ignored} provider events Cohort
     * does not map, {@code unattributed} events with no subscriber id, {@code subscription} the SNS
     * subscription state for a SubscriptionConfirmation (confirmed, pending, failed).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record WebhookResult(int accepted, int duplicates, int rejected, int ignored, int unattributed,
            String subscription) {
    }
}
