/** The credit ledger's storage and checks, and the payment SDK check. Not API. */
package io.irisx.core.credit.internal;
