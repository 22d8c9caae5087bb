package io.irisx.webhooks.signing;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Judges the encoding of an Ed25519 point (RFC 8032, section 5.1.3) before it is used as a public key; stateless.
 *
 * <p>The JDK verifies with any point it can decode, including the eight points of small order (the identity among
 * them): with such a key a signature whose R is a small-order point and whose S is 0 verifies for every message, so a
 * key of small order proves nothing. Encodings whose y coordinate is not below p, and the encodings of x = 0 with the
 * sign bit set, name a point that has a shorter, canonical encoding; other libraries refuse them and verifying them
 * would make the same key mean two texts, so they are refused too. Every small-order point has y in {0, 1, p - 1, ±y8}
 * and any encoding of one is refused, canonical or not. The arithmetic uses {@link BigInteger}, which is not constant
 * time; that does not matter here, as a public key is not secret.
 */
final class Ed25519Points {

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    /** The curve constant d = -121665 / 121666. */
    private static final BigInteger D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    /** A square root of -1 modulo p, 2^((p - 1) / 4). */
    private static final BigInteger SQRT_MINUS_ONE = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
    /** The order L of the prime-order subgroup, 2^252 + 27742317777372353535851937790883648493. */
    static final BigInteger ORDER = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    private record Point(BigInteger x, BigInteger y) {
    }

    private Ed25519Points() {
    }

    /** What makes these 32 bytes unfit to be a public key, or empty when they are a canonical point of large order. */
    static Optional<String> weakness(byte[] encoded) {
        boolean sign = (encoded[31] & 0x80) != 0;
        BigInteger y = littleEndian(encoded, true);
        if (y.compareTo(P) >= 0) {
            return Optional.of("is a weak Ed25519 public key: a non-canonical encoding, its y coordinate is not below "
                    + "2^255 - 19");
        }
        BigInteger x = recoverX(y);
        if (x == null) {
            return Optional.of("is not an Ed25519 public key: its 32 bytes encode no point of the curve");
        }
        if (x.signum() == 0 && sign) {
            return Optional.of("is a weak Ed25519 public key: a non-canonical encoding, x is 0 but its sign bit is set");
        }
        if (x.testBit(0) != sign) {
            x = P.subtract(x);
        }
        Point point = new Point(x, y);
        for (int i = 0; i < 3; i++) {
            point = add(point, point);
        }
        if (point.x().signum() == 0 && point.y().equals(BigInteger.ONE)) {
            return Optional.of("is a weak Ed25519 public key: a point of small order, for which one forged signature "
                    + "verifies every message; generate a new key pair");
        }
        return Optional.empty();
    }

    /** Whether a 32-byte little-endian scalar S of a signature is below the group order L, as RFC 8032 requires. */
    static boolean isCanonicalScalar(byte[] signature, int from) {
        byte[] scalar = new byte[32];
        System.arraycopy(signature, from, scalar, 0, 32);
        return littleEndian(scalar, false).compareTo(ORDER) < 0;
    }

    /** The x with x^2 = (y^2 - 1) / (d y^2 + 1), either of the two; null when there is none (y is not on the curve). */
    private static BigInteger recoverX(BigInteger y) {
        BigInteger ySquared = y.multiply(y).mod(P);
        BigInteger u = ySquared.subtract(BigInteger.ONE).mod(P);
        BigInteger v = D.multiply(ySquared).add(BigInteger.ONE).mod(P);
        BigInteger xSquared = u.multiply(v.modInverse(P)).mod(P);
        BigInteger x = xSquared.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.multiply(x).mod(P).equals(xSquared)) {
            x = x.multiply(SQRT_MINUS_ONE).mod(P);
        }
        return x.multiply(x).mod(P).equals(xSquared) ? x : null;
    }

    /** The sum of two points on the twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2; complete, no special cases. */
    private static Point add(Point a, Point b) {
        BigInteger xx = a.x().multiply(b.x()).mod(P);
        BigInteger yy = a.y().multiply(b.y()).mod(P);
        BigInteger dxxyy = D.multiply(xx).mod(P).multiply(yy).mod(P);
        BigInteger x = a.x().multiply(b.y()).add(a.y().multiply(b.x()))
                .multiply(BigInteger.ONE.add(dxxyy).modInverse(P)).mod(P);
        BigInteger y = yy.add(xx).multiply(BigInteger.ONE.subtract(dxxyy).mod(P).modInverse(P)).mod(P);
        return new Point(x, y);
    }

    private static BigInteger littleEndian(byte[] bytes, boolean clearTopBit) {
        byte[] bigEndian = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bigEndian[i] = bytes[bytes.length - 1 - i];
        }
        if (clearTopBit) {
            bigEndian[0] &= 0x7f;
        }
        return new BigInteger(1, bigEndian);
    }
}
