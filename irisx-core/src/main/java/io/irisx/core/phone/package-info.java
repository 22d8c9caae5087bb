/**
 * Phone numbers in E.164 form, parsed and checked with libphonenumber, shared by the channels that call and text
 * them: {@link io.irisx.core.phone.PhoneNumber}.
 */
package io.irisx.core.phone;
