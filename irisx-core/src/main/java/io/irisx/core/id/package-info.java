/**
 * Typed, prefixed ids ({@code msg_…}, {@code evt_…}, {@code ep_…}, {@code att_…}, {@code call_…}): sortable by
 * creation time, URL-safe, generated without coordination, and checked when parsed.
 */
package io.irisx.core.id;
