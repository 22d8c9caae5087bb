/** What the kits share to run IRISX's modules; not API. */
package io.irisx.testkit.internal;
