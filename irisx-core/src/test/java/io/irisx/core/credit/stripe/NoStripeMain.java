package io.irisx.core.credit.stripe;

/**
 * A host without stripe-java on its class path, for {@link StripePaymentsTest}, run by
 * {@link io.irisx.core.testing.ChildJvm}: prints {@code ready}, then builds a Stripe provider and prints
 * {@code refused <exception>: <message>} or {@code built}, then waits for its standard input to close.
 */
public final class NoStripeMain {

    private NoStripeMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("ready");
        try {
            StripePayments.builder("sk_test_51LocalStripeKey").build();
            System.out.println("built");
        } catch (IllegalStateException e) {
            System.out.println("refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        System.out.flush();
        while (System.in.read() != -1) {
            // The parent closes standard input to stop this process.
        }
    }
}
