/**
 * The module SPI: what a channel or feature module implements to be {@linkplain io.irisx.core.Irisx.Builder#install
 * installed} into the runtime, and the context it is installed through.
 */
package io.irisx.core.spi;
