package io.irisx.core.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.phone.PhoneNumber.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Phone numbers as people write them, normalised to E.164 or refused, as libphonenumber (the version the parent pom
 * pins) judges them: any valid number for a call, a number of a type that can receive SMS for a text. The numbers are libphonenumber's own examples ({@code getExampleNumberForType}) and the ranges
 * set aside for fiction where libphonenumber accepts them: Ofcom's London drama range 020 7946 0xxx is a valid
 * landline, but its mobile drama range 07700 900xxx is not allocated, so libphonenumber calls it invalid; the US
 * 555-01xx range is valid for libphonenumber in the 415 area code.
 */
class PhoneNumberTest {

    @ParameterizedTest(name = "{0} in {1} is {2}, a {4} number of {3}")
    @CsvSource(delimiter = '|', textBlock = """
            (415) 555-0123          | US | +14155550123   | US | FIXED_LINE_OR_MOBILE
            415.555.0123            | US | +14155550123   | US | FIXED_LINE_OR_MOBILE
            +1 415-555-0123         | GB | +14155550123   | US | FIXED_LINE_OR_MOBILE
            00 1 415 555 0123       | DE | +14155550123   | US | FIXED_LINE_OR_MOBILE
            (506) 234-5678          | CA | +15062345678   | CA | FIXED_LINE_OR_MOBILE
            1-800-234-5678          | US | +18002345678   | US | TOLL_FREE
            +1 500 234 5678         | US | +15002345678   | US | PERSONAL_NUMBER
            07400 123456            | GB | +447400123456  | GB | MOBILE
            +44 7400 123456         | DE | +447400123456  | GB | MOBILE
            0044 7400 123456        | GB | +447400123456  | GB | MOBILE
            011 44 7400 123456      | US | +447400123456  | GB | MOBILE
            056 1234 5678           | GB | +445612345678  | GB | VOIP
            070 1234 5678           | GB | +447012345678  | GB | PERSONAL_NUMBER
            01512 3456789           | DE | +4915123456789 | DE | MOBILE
            +49 1512 3456789        | US | +4915123456789 | DE | MOBILE
            00 49 1512 3456789      | FR | +4915123456789 | DE | MOBILE
            06 12 34 56 78          | FR | +33612345678   | FR | MOBILE
            +33 6 12 34 56 78       | DE | +33612345678   | FR | MOBILE
            09 12 34 56 78          | FR | +33912345678   | FR | VOIP
            081234 56789            | IN | +918123456789  | IN | MOBILE
            +91 81234 56789         | US | +918123456789  | IN | MOBILE
            +91 74104 10123         | US | +917410410123  | IN | FIXED_LINE_OR_MOBILE
            (11) 96123-4567         | BR | +5511961234567 | BR | MOBILE
            +55 11 96123-4567       | US | +5511961234567 | BR | MOBILE
            0412 345 678            | AU | +61412345678   | AU | MOBILE
            0011 61 412 345 678     | AU | +61412345678   | AU | MOBILE
            +61 412 345 678         | GB | +61412345678   | AU | MOBILE
            090-1234-5678           | JP | +819012345678  | JP | MOBILE
            011 81 90-1234-5678     | US | +819012345678  | JP | MOBILE
            050-1234-5678           | JP | +815012345678  | JP | VOIP
            0802 123 4567           | NG | +2348021234567 | NG | MOBILE
            +234 802 123 4567       | GB | +2348021234567 | NG | MOBILE
            """)
    void aNumberThatCanReceiveSmsIsNormalisedToE164(String text, String region, String e164, String regionCode,
            Type type) {
        PhoneNumber number = PhoneNumber.parseSms("to", text, region);

        assertThat(number.value()).isEqualTo(e164);
        assertThat(number.regionCode()).isEqualTo(regionCode);
        assertThat(number.type()).isEqualTo(type);
        assertThat(number.canReceiveSms()).isTrue();
        assertThat(number).isEqualTo(PhoneNumber.of(e164)).isEqualTo(PhoneNumber.ofSms(e164))
                .isEqualTo(PhoneNumber.parse("to", text, region));
    }

    @ParameterizedTest(name = "{0} in {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            020 7946 0123           | GB | is a landline (FIXED_LINE) and cannot receive SMS
            +44 20 7946 0123        | US | is a landline (FIXED_LINE) and cannot receive SMS
            030 123456              | DE | is a landline (FIXED_LINE) and cannot receive SMS
            01 23 45 67 89          | FR | is a landline (FIXED_LINE) and cannot receive SMS
            (02) 1234 5678          | AU | is a landline (FIXED_LINE) and cannot receive SMS
            03-1234-5678            | JP | is a landline (FIXED_LINE) and cannot receive SMS
            (11) 2345-6789          | BR | is a landline (FIXED_LINE) and cannot receive SMS
            02033 12 3456           | NG | is a landline (FIXED_LINE) and cannot receive SMS
            0901 234 5678           | GB | is a premium-rate number (PREMIUM_RATE) and cannot receive SMS
            1-900-234-5678          | US | is a premium-rate number (PREMIUM_RATE) and cannot receive SMS
            0900 1 234567           | DE | is a premium-rate number (PREMIUM_RATE) and cannot receive SMS
            0180 1 2345             | DE | is a shared-cost number (SHARED_COST) and cannot receive SMS
            0177 99 1234567         | DE | is a voicemail access number (VOICEMAIL) and cannot receive SMS
            055 1234 5678           | GB | is a universal access number (UAN) and cannot receive SMS
            076 4012 3456           | GB | is a pager number (PAGER) and cannot receive SMS
            0800 123 4567           | GB | is a toll-free number outside the US and Canada (TOLL_FREE) and cannot receive SMS
            +800 1234 5678          | US | is a toll-free number outside the US and Canada (TOLL_FREE) and cannot receive SMS
            07700 900123            | GB | is not a valid number: no number of +44 is allocated in its range
            12                      | US | is too short for a number of +1
            +1 415 555 0123 45678   | US | is too long for a number of +1
            +49 30 1234567890123456 | DE | is too long
            415-555-ABCD            | US | contains letters
            +44 7400 123456 ext. 22 | GB | contains letters
            415 555 0123 #22        | US | has an extension
            "   "                   | US | is empty
            +                       | US | is not a phone number
            ---                     | US | is not a phone number
            +999 1234 5678          | US | has no valid country code
            """)
    void aNumberThatCannotReceiveSmsIsRefusedForSmsSayingWhy(String text, String region, String problem) {
        IrisxValidationException refused = catchThrowableOfType(IrisxValidationException.class,
                () -> PhoneNumber.parseSms("to", text, region));

        assertThat(refused).as("refusal of %s", text).isNotNull();
        assertThat(refused.field()).isEqualTo("to");
        assertThat(refused.rejectedValue()).isEqualTo(text);
        assertThat(refused).hasMessageStartingWith("to: '" + text + "' " + problem);
    }

    @ParameterizedTest(name = "{0} in {1} is {2}, a {4} number of {3}")
    @CsvSource(delimiter = '|', textBlock = """
            020 7946 0123           | GB | +442079460123  | GB | FIXED_LINE
            +44 20 7946 0123        | US | +442079460123  | GB | FIXED_LINE
            030 123456              | DE | +4930123456    | DE | FIXED_LINE
            01 23 45 67 89          | FR | +33123456789   | FR | FIXED_LINE
            (02) 1234 5678          | AU | +61212345678   | AU | FIXED_LINE
            0901 234 5678           | GB | +449012345678  | GB | PREMIUM_RATE
            1-900-234-5678          | US | +19002345678   | US | PREMIUM_RATE
            0180 1 2345             | DE | +4918012345    | DE | SHARED_COST
            055 1234 5678           | GB | +445512345678  | GB | UAN
            076 4012 3456           | GB | +447640123456  | GB | PAGER
            0800 123 4567           | GB | +448001234567  | GB | TOLL_FREE
            """)
    void aValidNumberThatCannotReceiveSmsCanStillBeCalled(String text, String region, String e164, String regionCode,
            Type type) {
        PhoneNumber number = PhoneNumber.parse("to", text, region);

        assertThat(number.value()).isEqualTo(e164);
        assertThat(number.regionCode()).isEqualTo(regionCode);
        assertThat(number.type()).isEqualTo(type);
        assertThat(number.canReceiveSms()).isFalse();
        assertThat(PhoneNumber.of(e164)).isEqualTo(number);
        assertThat(catchThrowableOfType(IrisxValidationException.class, () -> PhoneNumber.ofSms(e164)))
                .hasMessageContaining("cannot receive SMS");
    }

    @ParameterizedTest(name = "{0} in {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            07700 900123            | GB | is not a valid number: no number of +44 is allocated in its range
            12                      | US | is too short for a number of +1
            +1 415 555 0123 45678   | US | is too long for a number of +1
            415-555-ABCD            | US | contains letters
            415 555 0123 #22        | US | has an extension; give the number without it
            "   "                   | US | is empty
            ---                     | US | is not a phone number
            +999 1234 5678          | US | has no valid country code
            """)
    void whatIsNotAValidNumberIsRefusedForACallSayingWhy(String text, String region, String problem) {
        IrisxValidationException refused = catchThrowableOfType(IrisxValidationException.class,
                () -> PhoneNumber.parse("to", text, region));

        assertThat(refused).as("refusal of %s", text).isNotNull();
        assertThat(refused.field()).isEqualTo("to");
        assertThat(refused.rejectedValue()).isEqualTo(text);
        assertThat(refused).hasMessageStartingWith("to: '" + text + "' " + problem);
    }

    @Test
    void anEmptyTextIsRefusedAsEmpty() {
        assertThat(catchThrowableOfType(IrisxValidationException.class, () -> PhoneNumber.parse("to", "", "US")))
                .hasMessage("to: '' is empty; expected a phone number such as +14155550123");
        assertThat(catchThrowableOfType(IrisxValidationException.class, () -> PhoneNumber.parseSms("to", "", "US")))
                .hasMessage("to: '' is empty; expected a phone number such as +14155550123");
    }

    @Test
    void ofAcceptsANormalisedE164Number() {
        PhoneNumber number = PhoneNumber.of("+447400123456");

        assertThat(number.value()).isEqualTo("+447400123456");
        assertThat(number.regionCode()).isEqualTo("GB");
        assertThat(number.type()).isEqualTo(Type.MOBILE);
        assertThat(number).hasToString("+447400123456");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            +1 415 555 0123 | is not in E.164 form
            14155550123     | is not in E.164 form
            +014155550123   | is not in E.164 form
            +442079460123   | is a landline (FIXED_LINE) and cannot receive SMS
            +447700900123   | is not a valid number
            """)
    void ofSmsRefusesWhatIsNotAnE164NumberThatCanReceiveSms(String text, String problem) {
        IrisxValidationException refused = catchThrowableOfType(IrisxValidationException.class,
                () -> PhoneNumber.ofSms(text));

        assertThat(refused).isNotNull();
        assertThat(refused.field()).isEqualTo("phoneNumber");
        assertThat(refused).hasMessageStartingWith("phoneNumber: '" + text + "' " + problem);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            +1 415 555 0123 | is not in E.164 form
            14155550123     | is not in E.164 form
            +014155550123   | is not in E.164 form
            +447700900123   | is not a valid number
            """)
    void ofRefusesWhatIsNotAValidE164Number(String text, String problem) {
        IrisxValidationException refused = catchThrowableOfType(IrisxValidationException.class,
                () -> PhoneNumber.of(text));

        assertThat(refused).isNotNull();
        assertThat(refused.field()).isEqualTo("phoneNumber");
        assertThat(refused).hasMessageStartingWith("phoneNumber: '" + text + "' " + problem);
    }

    @Test
    void theRegionsAreLibphonenumbersUpperCaseCodes() {
        assertThat(PhoneNumber.isRegion("GB")).isTrue();
        assertThat(PhoneNumber.isRegion("gb")).isFalse();
        assertThat(PhoneNumber.isRegion("001")).isFalse();
    }

    @Test
    void theSameNumberWrittenTwoWaysIsEqual() {
        assertThat(PhoneNumber.parse("to", "(415) 555-0123", "US"))
                .isEqualTo(PhoneNumber.parse("to", "+1 415 555 0123", "FR"))
                .hasSameHashCodeAs(PhoneNumber.of("+14155550123"));
    }

    @ParameterizedTest
    @CsvSource({"XX", "us", "USA", "''", "001"})
    void anUnknownDefaultRegionIsMisuse(String region) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PhoneNumber.parse("to", "+14155550123", region))
                .withMessageStartingWith("defaultRegion: '" + region + "' is not a region libphonenumber knows");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PhoneNumber.parseSms("to", "+14155550123", region))
                .withMessageStartingWith("defaultRegion: '" + region + "' is not a region libphonenumber knows");
    }
}
