package io.irisx.core.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;
import io.irisx.core.IrisxValidationException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A valid phone number in E.164 form ({@code +14155550123}); immutable and thread-safe. It is checked with
 * libphonenumber when it is made: it must be a valid number of its country, of any {@linkplain Type type} — a
 * landline can be called. The SMS channel asks more, a number of a type that can receive SMS: {@link #parseSms} and
 * {@link #ofSms} refuse the others, and {@link #canReceiveSms()} says which a number is.
 *
 * <p>Make one from what a person typed with {@link #parse(String, String, String)}, or from a stored E.164 number
 * with {@link #of(String)}.
 *
 * @param value the number in E.164 form: {@code +}, the country code and the national number, digits only
 */
public record PhoneNumber(String value) {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    /** The region libphonenumber is given when the text must carry its own country code. */
    private static final String NO_REGION = "ZZ";
    /** The North American Numbering Plan (US, CA and the Caribbean): the only place toll-free numbers take SMS. */
    private static final int NANP = 1;

    /** The kinds of number, as libphonenumber classifies them. */
    public enum Type {
        /** A mobile number. */
        MOBILE,
        /** A landline. */
        FIXED_LINE,
        /**
         * A number the country's numbering plan does not mark as fixed or mobile, e.g. every geographic number of
         * the US and Canada. It may take SMS: whether it does is known only to its carrier, and the provider reports it.
         */
        FIXED_LINE_OR_MOBILE,
        /**
         * A toll-free number. Those of the North American Numbering Plan (+1 800, 833, 844, 855, 866, 877, 888: the
         * US and Canada) take SMS ("toll-free messaging"); other countries' and international freephone numbers
         * (+800) do not.
         */
        TOLL_FREE,
        /** A premium-rate number. */
        PREMIUM_RATE,
        /** A shared-cost number. */
        SHARED_COST,
        /** A number served over the internet (e.g. UK 056, Japanese 050), often SMS-capable. */
        VOIP,
        /** A personal number that forwards to a mobile or a landline (e.g. UK 070, US 500). */
        PERSONAL_NUMBER,
        /** A pager number. */
        PAGER,
        /** A universal access number, which a company uses for all its offices. */
        UAN,
        /** A voicemail access number. */
        VOICEMAIL,
        /** A valid number whose type libphonenumber does not know. */
        UNKNOWN
    }

    /** What a number is parsed for: any call, or SMS, which refuses the types that cannot receive it. */
    private enum Use {
        ANY, SMS
    }

    /**
     * Checks that {@code value} is a valid number in normalised E.164 form.
     *
     * @throws IrisxValidationException naming the field {@code phoneNumber} when it is not
     */
    public PhoneNumber {
        Objects.requireNonNull(value, "value");
        checkE164("phoneNumber", value, Use.ANY);
    }

    /**
     * The number {@code e164}, already in E.164 form ({@code +14155550123}).
     *
     * @throws IrisxValidationException naming the field {@code phoneNumber} when it is not in E.164 form or not a
     *     valid number
     */
    public static PhoneNumber of(String e164) {
        return new PhoneNumber(e164);
    }

    /**
     * The number {@code e164}, already in E.164 form, when it can receive SMS.
     *
     * @throws IrisxValidationException naming the field {@code phoneNumber} when it is not in E.164 form, not a
     *     valid number, or of a type that cannot receive SMS
     */
    public static PhoneNumber ofSms(String e164) {
        Objects.requireNonNull(e164, "e164");
        checkE164("phoneNumber", e164, Use.SMS);
        return new PhoneNumber(e164);
    }

    /**
     * Parses a number as a person writes it — national ({@code (415) 555-0123} in region {@code US}) or international
     * ({@code +44 7400 123456}, or with the region's international prefix: {@code 0044 7400 123456} from
     * {@code GB}, {@code 011 44 7400 123456} from {@code US}), with spaces, dashes, dots and parentheses — and
     * normalises it to E.164. Any valid number is taken, landlines included.
     *
     * @param field the field being parsed, named in the exception (e.g. {@code "to"})
     * @param text the number as written
     * @param defaultRegion the ISO 3166-1 alpha-2 region ({@code "US"}) of a number written without its country code
     * @throws IrisxValidationException naming {@code field} and {@code text} when the text is not a phone number or
     *     not a valid number, or carries an extension
     * @throws IllegalArgumentException when {@code defaultRegion} is not a region libphonenumber knows
     */
    public static PhoneNumber parse(String field, String text, String defaultRegion) {
        return parse(field, text, defaultRegion, Use.ANY);
    }

    /**
     * As {@link #parse(String, String, String)}, for a number that must receive SMS: landlines, premium-rate,
     * shared-cost, voicemail, UAN and pager numbers, and toll-free numbers outside the US and Canada are refused.
     *
     * @throws IrisxValidationException naming {@code field} and {@code text} when the text is not a phone number,
     *     not a valid number, or a number that cannot receive SMS
     * @throws IllegalArgumentException when {@code defaultRegion} is not a region libphonenumber knows
     */
    public static PhoneNumber parseSms(String field, String text, String defaultRegion) {
        return parse(field, text, defaultRegion, Use.SMS);
    }

    /** Whether {@code region} is an ISO 3166-1 alpha-2 region libphonenumber knows ({@code US}, {@code GB}). */
    public static boolean isRegion(String region) {
        return UTIL.getSupportedRegions().contains(Objects.requireNonNull(region, "region"));
    }

    /** The region of the number ({@code "US"}), or {@code "001"} for a non-geographic number (e.g. satellite). */
    public String regionCode() {
        return UTIL.getRegionCodeForNumber(parsed(value));
    }

    /** What kind of number it is. */
    public Type type() {
        return type(parsed(value));
    }

    /** Whether the number is of a type that can receive SMS (see {@link #parseSms}). */
    public boolean canReceiveSms() {
        return smsRefusal(parsed(value)).isEmpty();
    }

    /** The number in E.164 form, {@link #value()}: it is how IRISX names a recipient. */
    @Override
    public String toString() {
        return value;
    }

    private static PhoneNumber parse(String field, String text, String defaultRegion, Use use) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(defaultRegion, "defaultRegion");
        if (!UTIL.getSupportedRegions().contains(defaultRegion)) {
            throw new IllegalArgumentException("defaultRegion: '" + defaultRegion
                    + "' is not a region libphonenumber knows; use an upper-case ISO 3166-1 alpha-2 code such as US");
        }
        Phonenumber.PhoneNumber number = checked(field, text, defaultRegion, use);
        return new PhoneNumber(UTIL.format(number, PhoneNumberFormat.E164));
    }

    private static void checkE164(String field, String value, Use use) {
        if (!E164.matcher(value).matches()) {
            throw new IrisxValidationException(field, value, "is not in E.164 form (+, the country code and the"
                    + " number, digits only, e.g. +14155550123); use PhoneNumber.parse for numbers as people write them");
        }
        Phonenumber.PhoneNumber number = checked(field, value, NO_REGION, use);
        if (!UTIL.format(number, PhoneNumberFormat.E164).equals(value)) {
            throw new IrisxValidationException(field, value, "is not in normalised E.164 form (expected "
                    + UTIL.format(number, PhoneNumberFormat.E164) + ")");
        }
    }

    /** Parses {@code text} and checks that it is a valid number, of a type that can receive SMS for that use. */
    private static Phonenumber.PhoneNumber checked(String field, String text, String region, Use use) {
        if (text.isBlank()) {
            throw new IrisxValidationException(field, text, "is empty; expected a phone number such as +14155550123");
        }
        if (text.chars().anyMatch(Character::isLetter)) {
            throw new IrisxValidationException(field, text,
                    "contains letters; give the digits only (vanity numbers such as 1-800-FLOWERS are not accepted)");
        }
        Phonenumber.PhoneNumber number;
        try {
            number = UTIL.parse(text, region);
        } catch (NumberParseException e) {
            throw new IrisxValidationException(field, text, parseProblem(e.getErrorType(), region));
        }
        if (number.hasExtension()) {
            throw new IrisxValidationException(field, text, use == Use.SMS
                    ? "has an extension, and an extension cannot receive SMS"
                    : "has an extension; give the number without it");
        }
        if (!UTIL.isValidNumber(number)) {
            throw new IrisxValidationException(field, text, invalidProblem(number));
        }
        if (use == Use.SMS) {
            String refused = smsRefusal(number);
            if (!refused.isEmpty()) {
                throw new IrisxValidationException(field, text, refused + " and cannot receive SMS; give a mobile number");
            }
        }
        return number;
    }

    private static String parseProblem(NumberParseException.ErrorType error, String region) {
        return switch (error) {
            case INVALID_COUNTRY_CODE -> NO_REGION.equals(region)
                    ? "has no valid country code"
                    : "has no valid country code; write it with + and the country code, or as a national number of "
                            + region;
            case TOO_SHORT_AFTER_IDD, TOO_SHORT_NSN -> "is too short to be a phone number";
            case TOO_LONG -> "is too long to be a phone number";
            case NOT_A_NUMBER -> "is not a phone number; expected digits such as +14155550123";
        };
    }

    private static String invalidProblem(Phonenumber.PhoneNumber number) {
        String country = "+" + number.getCountryCode();
        return switch (UTIL.isPossibleNumberWithReason(number)) {
            case TOO_SHORT -> "is too short for a number of " + country;
            case TOO_LONG -> "is too long for a number of " + country;
            case INVALID_LENGTH -> "has a length no number of " + country + " has";
            case INVALID_COUNTRY_CODE -> "has an unknown country code " + country;
            case IS_POSSIBLE, IS_POSSIBLE_LOCAL_ONLY -> "is not a valid number: no number of " + country
                    + " is allocated in its range";
        };
    }

    /** Says what the number is when its type cannot receive SMS, else returns the empty string. */
    private static String smsRefusal(Phonenumber.PhoneNumber number) {
        return switch (type(number)) {
            case MOBILE, FIXED_LINE_OR_MOBILE, VOIP, PERSONAL_NUMBER -> "";
            case TOLL_FREE -> number.getCountryCode() == NANP
                    ? ""
                    : "is a toll-free number outside the US and Canada (TOLL_FREE)";
            case FIXED_LINE -> "is a landline (FIXED_LINE)";
            case PREMIUM_RATE -> "is a premium-rate number (PREMIUM_RATE)";
            case SHARED_COST -> "is a shared-cost number (SHARED_COST)";
            case VOICEMAIL -> "is a voicemail access number (VOICEMAIL)";
            case UAN -> "is a universal access number (UAN)";
            case PAGER -> "is a pager number (PAGER)";
            case UNKNOWN -> "is of a type libphonenumber does not know (UNKNOWN)";
        };
    }

    private static Type type(Phonenumber.PhoneNumber number) {
        PhoneNumberType type = UTIL.getNumberType(number);
        return Type.valueOf(type.name());
    }

    /** Parses a number this record already checked. */
    private static Phonenumber.PhoneNumber parsed(String e164) {
        try {
            return UTIL.parse(e164, NO_REGION);
        } catch (NumberParseException e) {
            throw new IllegalStateException("a checked E.164 number no longer parses: " + e164, e);
        }
    }
}
