package io.irisx.messaging.email;

import io.irisx.core.IrisxValidationException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A file attached to an email, or shown inline in its HTML body when it has a content id; immutable (its bytes are
 * copied in and out).
 */
public final class Attachment {

    private static final Pattern CONTENT_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");
    private static final Pattern CONTENT_ID = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]{1,250}");

    private final String filename;
    private final String contentType;
    private final byte[] content;
    private final String contentId;

    private Attachment(String filename, String contentType, byte[] content, String contentId) {
        this.filename = checkFilename(Objects.requireNonNull(filename, "filename"));
        Objects.requireNonNull(contentType, "contentType");
        if (!CONTENT_TYPE.matcher(contentType).matches()) {
            throw new IrisxValidationException("attachment.contentType", contentType,
                    "must be a MIME type such as application/pdf, without parameters");
        }
        this.contentType = contentType.toLowerCase(java.util.Locale.ROOT);
        this.content = Objects.requireNonNull(content, "content").clone();
        if (contentId != null && !CONTENT_ID.matcher(contentId).matches()) {
            throw new IrisxValidationException("attachment.contentId", contentId,
                    "must be 1-250 characters of letters, digits and !#$%&'*+/=?^_`{|}~.@-, without angle brackets");
        }
        this.contentId = contentId;
    }

    /** A file attached to the email. */
    public static Attachment of(String filename, String contentType, byte[] content) {
        return new Attachment(filename, contentType, content, null);
    }

    /** A file shown inline: the HTML body refers to it as {@code cid:<contentId>}. */
    public static Attachment inline(String contentId, String filename, String contentType, byte[] content) {
        return new Attachment(filename, contentType, content, Objects.requireNonNull(contentId, "contentId"));
    }

    private static String checkFilename(String filename) {
        if (filename.isBlank() || filename.length() > 255) {
            throw new IrisxValidationException("attachment.filename", filename, "must be 1-255 characters");
        }
        if (filename.chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\' || c == '"')) {
            throw new IrisxValidationException("attachment.filename", filename,
                    "must not contain control characters (CR, LF, NUL, …), quotes or path separators");
        }
        return filename;
    }

    /** The file's name as the recipient sees it. */
    public String filename() {
        return filename;
    }

    /** Its MIME type, lower case, e.g. {@code application/pdf}. */
    public String contentType() {
        return contentType;
    }

    /** A copy of its bytes. */
    public byte[] content() {
        return content.clone();
    }

    /** How many bytes it holds. */
    public int size() {
        return content.length;
    }

    /** Its content id, when it is shown inline. */
    public Optional<String> contentId() {
        return Optional.ofNullable(contentId);
    }

    /** Whether it is shown inline rather than attached. */
    public boolean isInline() {
        return contentId != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Attachment that && filename.equals(that.filename) && contentType.equals(that.contentType)
                && Arrays.equals(content, that.content) && Objects.equals(contentId, that.contentId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(filename, contentType, Arrays.hashCode(content), contentId);
    }

    @Override
    public String toString() {
        return "Attachment[" + filename + " " + contentType + " " + content.length + " bytes"
                + (contentId == null ? "" : " inline cid:" + contentId) + "]";
    }
}
