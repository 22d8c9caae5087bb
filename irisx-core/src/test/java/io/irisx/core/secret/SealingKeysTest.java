package io.irisx.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealingKeysTest {

    private static final byte[] KEY_A = filled(1);
    private static final byte[] KEY_B = filled(2);
    private static final String BASE64_A = Base64.getEncoder().encodeToString(KEY_A);
    private static final String BASE64_B = Base64.getEncoder().encodeToString(KEY_B);

    @TempDir
    Path dir;

    @Test
    void theFirstKeyAddedIsThePrimaryUnlessOneIsNamed() {
        SealingKeys firstWins = SealingKeys.builder().key("a", KEY_A).key("b", KEY_B).build();
        SealingKeys named = SealingKeys.builder().key("a", KEY_A).key("b", KEY_B).primary("b").build();

        assertThat(firstWins.primaryKeyId()).isEqualTo("a");
        assertThat(named.primaryKeyId()).isEqualTo("b");
        assertThat(named.keyIds()).containsExactly("a", "b");
        assertThat(named.contains("b")).isTrue();
        assertThat(named.contains("c")).isFalse();
    }

    @Test
    void theBuilderCopiesTheKeySoLaterChangesToTheArrayDoNotReachIt() {
        byte[] key = KEY_A.clone();
        SealingKeys keys = SealingKeys.builder().key("a", key).build();
        String sealed = SecretSealer.of(keys).seal("s", "c");

        Arrays.fill(key, (byte) 9);

        assertThat(SecretSealer.of(SealingKeys.builder().key("a", KEY_A).build()).open(sealed, "c")).isEqualTo("s");
        assertThat(SecretSealer.of(keys).open(sealed, "c")).isEqualTo("s");
    }

    @Test
    void anInvalidKeyIdIsRefusedNamingFieldAndValue() {
        assertThatThrownBy(() -> SealingKeys.builder().key("bad id", KEY_A))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keyId must be 1-32 characters of letters, digits, '_' or '-', was 'bad id'");
        assertThatThrownBy(() -> SealingKeys.builder().key("", KEY_A))
                .hasMessageContaining("keyId").hasMessageContaining("was ''");
        assertThatThrownBy(() -> SealingKeys.builder().key("k".repeat(33), KEY_A))
                .hasMessageContaining("was '" + "k".repeat(33) + "'");
        assertThatThrownBy(() -> SealingKeys.builder().key("a:b", KEY_A)).hasMessageContaining("was 'a:b'");
    }

    @Test
    void aKeyOfTheWrongLengthIsRefusedNamingItsIdAndLengthButNotItsBytes() {
        assertThatThrownBy(() -> SealingKeys.builder().key("short", new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key for keyId 'short' must be 32 bytes (AES-256), was 16 bytes");
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedWithoutEchoingIt() {
        String notBase64 = "this*is*not*base64*and*is*secret!";

        assertThatThrownBy(() -> SealingKeys.builder().key("k1", notBase64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key for keyId 'k1' is not valid base64")
                .hasMessageNotContaining(notBase64)
                .hasMessageNotContaining("2a"); // the decoder would name the '*' as hex 2a
    }

    @Test
    void aDuplicateKeyIdIsRefusedNamingIt() {
        assertThatThrownBy(() -> SealingKeys.builder().key("a", KEY_A).key("a", KEY_B))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyId 'a' is given twice");
    }

    @Test
    void buildingWithoutKeysOrWithAnUnknownPrimaryFailsNamingTheField() {
        assertThatThrownBy(() -> SealingKeys.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("keys: at least one key is required");
        assertThatThrownBy(() -> SealingKeys.builder().key("a", KEY_A).primary("z").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("primary must be one of the key ids [a], was 'z'");
    }

    @Test
    void keysAreReadFromStandardOrUrlSafeBase64WithOrWithoutPadding() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0xfb); // encodes to characters that differ between the two alphabets
        String standard = Base64.getEncoder().encodeToString(key);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        String sealed = SecretSealer.of(SealingKeys.builder().key("k", key).build()).seal("s", "c");

        assertThat(SecretSealer.of(SealingKeys.fromBase64("k", standard)).open(sealed, "c")).isEqualTo("s");
        assertThat(SecretSealer.of(SealingKeys.fromBase64("k", urlSafe)).open(sealed, "c")).isEqualTo("s");
    }

    @Test
    void theTextFormatHasOneKeyPerLineWithTheFirstAsPrimary() {
        SealingKeys keys = SealingKeys.parse("""
                # rotated in March
                b=%s

                a = %s
                """.formatted(BASE64_B, BASE64_A));

        assertThat(keys.primaryKeyId()).isEqualTo("b");
        assertThat(keys.keyIds()).containsExactly("b", "a");
        assertThat(SealingKeys.parse(keys.toText()).toText()).isEqualTo(keys.toText());
    }

    @Test
    void malformedTextIsRefusedNamingTheLineButNotItsContent() {
        assertThatThrownBy(() -> SealingKeys.parse("a=" + BASE64_A + "\n" + BASE64_B))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2")
                .hasMessageNotContaining(BASE64_B.substring(0, 20));
        assertThatThrownBy(() -> SealingKeys.parse("# nothing here\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no key");
    }

    @Test
    void toStringNamesKeyIdsButNeverKeyMaterial() {
        SealingKeys keys = SealingKeys.builder().key("a", KEY_A).key("b", KEY_B).build();

        assertThat(keys.toString())
                .isEqualTo("SealingKeys[primary=a, keyIds=[a, b]]")
                .doesNotContain(BASE64_A.substring(0, 8))
                .doesNotContain(BASE64_B.substring(0, 8));
    }

    @Test
    void loadOrCreateGeneratesAKeyOnceAndThenReloadsTheSameKey() throws IOException {
        Path file = dir.resolve("irisx-data").resolve("sealing.keys");

        SealingKeys created = SealingKeys.loadOrCreate(file);
        String contentAfterCreate = Files.readString(file);
        SealingKeys reloaded = SealingKeys.loadOrCreate(file);

        assertThat(created.primaryKeyId()).isEqualTo(SealingKeys.GENERATED_KEY_ID);
        assertThat(Files.readString(file)).isEqualTo(contentAfterCreate);
        assertThat(reloaded.toText()).isEqualTo(created.toText());
        String sealed = SecretSealer.of(created).seal("whsec_abc", "tenant:acme/webhook");
        assertThat(SecretSealer.of(reloaded).open(sealed, "tenant:acme/webhook")).isEqualTo("whsec_abc");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file is left behind").containsExactly(file);
        }
    }

    @Test
    void aGeneratedKeyFileIsReadableByItsOwnerOnly() throws IOException {
        Path file = dir.resolve("sealing.keys");
        SealingKeys.loadOrCreate(file);
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        assumeThat(view).as("POSIX file permissions").isNotNull();

        assertThat(view.readAttributes().permissions())
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void loadOrCreateReadsAKeyFileTheHostWrote() throws IOException {
        Path file = dir.resolve("host.keys");
        Files.writeString(file, "a=" + BASE64_A + "\nb=" + BASE64_B + "\n");

        SealingKeys keys = SealingKeys.loadOrCreate(file);

        assertThat(keys.toText()).isEqualTo(SealingKeys.builder().key("a", KEY_A).key("b", KEY_B).build().toText());
    }

    @Test
    void aMalformedKeyFileFailsNamingTheFileAndLine() throws IOException {
        Path file = dir.resolve("broken.keys");
        Files.writeString(file, "a=" + BASE64_A + "\nnot a key line\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> SealingKeys.loadOrCreate(file))
                .isInstanceOfSatisfying(SecretSealingException.class,
                        e -> assertThat(e.reason()).isEqualTo(SecretSealingException.Reason.KEY_FILE))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 2")
                .hasMessageNotContaining(BASE64_A);
    }

    @Test
    void generatedKeysDifferAndSealWithTheirId() {
        SealingKeys one = SealingKeys.generate("g");
        SealingKeys two = SealingKeys.generate("g");

        assertThat(one.toText()).isNotEqualTo(two.toText());
        assertThat(Set.copyOf(one.keyIds())).containsExactly("g");
        assertThat(SecretSealer.of(one).seal("s", "c")).startsWith("irisx:v1:g:");
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (value * 31 + i);
        }
        return key;
    }

    @Test
    void missingTextAsAnUnsetEnvironmentVariableGivesItIsRefusedSayingHowToMakeKeys() {
        assertThatThrownBy(() -> SealingKeys.parse(System.getenv("IRISX_TEST_NO_SUCH_VARIABLE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sealing keys text is missing")
                .hasMessageContaining("<keyId>=<32 bytes in base64>")
                .hasMessageContaining("openssl rand -base64 32");
    }
}
