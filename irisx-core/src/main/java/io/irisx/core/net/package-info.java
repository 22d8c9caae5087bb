/**
 * IP addresses and networks written as text — read without ever asking DNS — for the allowlists and address rules
 * of the modules and the host: {@link io.irisx.core.net.Subnet}, {@link io.irisx.core.net.IpLiterals}.
 */
package io.irisx.core.net;
