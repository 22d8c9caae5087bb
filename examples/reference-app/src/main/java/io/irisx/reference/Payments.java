package io.irisx.reference;

import io.irisx.core.Irisx;
import io.irisx.core.credit.stripe.StripePayments;
import io.irisx.core.credit.stripe.StripeWebhooks;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Stripe for the app, when configured ({@code app.stripe-secret-key}, {@code app.stripe-webhook-secret}): the
 * payment provider card top-ups are asked of, and the handler of Stripe's webhooks. Built once; thread-safe.
 */
@Component
final class Payments {

    private final Optional<StripePayments> stripe;
    private final Optional<StripeWebhooks> webhooks;

    Payments(AppProperties app, Irisx irisx) {
        if (app.stripeSecretKey().isEmpty()) {
            this.stripe = Optional.empty();
        } else {
            StripePayments.Builder builder = StripePayments.builder(app.stripeSecretKey());
            if (!app.stripeApiBase().isEmpty()) {
                builder.apiBase(app.stripeApiBase());
            }
            this.stripe = Optional.of(builder.build());
        }
        this.webhooks = app.stripeWebhookSecret().isEmpty() ? Optional.empty()
                : Optional.of(StripeWebhooks.builder(irisx, app.stripeWebhookSecret()).build());
    }

    StripePayments stripe() {
        return stripe.orElseThrow(() -> new ModuleMissingException("card top-ups", new IllegalStateException(
                "set app.stripe-secret-key")));
    }

    StripeWebhooks webhooks() {
        return webhooks.orElseThrow(() -> new ModuleMissingException("Stripe's webhook", new IllegalStateException(
                "set app.stripe-webhook-secret")));
    }
}
