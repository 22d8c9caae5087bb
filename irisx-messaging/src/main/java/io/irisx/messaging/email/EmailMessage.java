package io.irisx.messaging.email;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.secret.Redaction;
import io.irisx.messaging.internal.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One email to send: sender, recipients, subject and bodies (or a template and its variables), attachments, extra
 * headers, tags, metadata and an idempotency key; immutable. The builder checks each value as it is set and the
 * whole at {@link Builder#build()}, throwing {@link IrisxValidationException} naming the field and the value, so a
 * bad email is refused before anything is stored.
 *
 * <pre>{@code
 * EmailMessage receipt = EmailMessage.builder()
 *         .from("billing@acme.example", "Acme Billing")
 *         .to("ada@example.com", "Ada Lovelace")
 *         .subject("Your receipt")
 *         .text("Thank you for your order.")
 *         .attach(Attachment.of("receipt.pdf", "application/pdf", pdf))
 *         .idempotencyKey("order-A-1042-receipt")
 *         .build();
 * }</pre>
 */
public final class EmailMessage {

    /** The most recipients (To, Cc and Bcc together) one email may have: the lowest of the providers' limits. */
    public static final int MAX_RECIPIENTS = 50;
    /** The longest subject and header value: RFC 5322's line limit. */
    public static final int MAX_LINE = 998;

    /** Headers IRISX and the providers set themselves; an email may not set them as extra headers. */
    static final Set<String> RESERVED_HEADERS = Set.of("from", "to", "cc", "bcc", "reply-to", "subject", "date",
            "message-id", "sender", "return-path", "received", "mime-version", "content-type",
            "content-transfer-encoding", "content-disposition", "content-id", "dkim-signature");

    private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]{1,76}");
    private static final Pattern TEMPLATE_ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final EmailAddress from;
    private final List<EmailAddress> to;
    private final List<EmailAddress> cc;
    private final List<EmailAddress> bcc;
    private final List<EmailAddress> replyTo;
    private final String subject;
    private final String text;
    private final String html;
    private final String templateId;
    private final Map<String, Object> variables;
    private final List<Attachment> attachments;
    private final Map<String, String> headers;
    private final List<String> tags;
    private final Map<String, String> metadata;
    private final String idempotencyKey;
    private final EmailStream stream;
    private final boolean track;

    private EmailMessage(Builder b) {
        this.from = b.from;
        this.to = List.copyOf(b.to);
        this.cc = List.copyOf(b.cc);
        this.bcc = List.copyOf(b.bcc);
        this.replyTo = List.copyOf(b.replyTo);
        this.subject = b.subject;
        this.text = b.text;
        this.html = b.html;
        this.templateId = b.templateId;
        this.variables = Collections.unmodifiableMap(new LinkedHashMap<>(b.variables));
        this.attachments = List.copyOf(b.attachments);
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.tags = List.copyOf(b.tags);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.idempotencyKey = b.idempotencyKey;
        this.stream = b.stream;
        this.track = b.track;
    }

    /** A builder for an email. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The sender; empty to send from the tenant's default sender ({@link io.irisx.core.tenant.TenantSettings#emailFrom()}),
     * which {@link EmailClient#send} requires then.
     */
    public Optional<EmailAddress> from() {
        return Optional.ofNullable(from);
    }

    /** The To recipients. */
    public List<EmailAddress> to() {
        return to;
    }

    /** The Cc recipients. */
    public List<EmailAddress> cc() {
        return cc;
    }

    /** The Bcc recipients. */
    public List<EmailAddress> bcc() {
        return bcc;
    }

    /** The Reply-To addresses. */
    public List<EmailAddress> replyTo() {
        return replyTo;
    }

    /** The subject, empty when a template gives it. */
    public String subject() {
        return subject;
    }

    /** The plain-text body, empty when there is none or a template gives it. */
    public String text() {
        return text;
    }

    /** The HTML body, empty when there is none or a template gives it. */
    public String html() {
        return html;
    }

    /** The template that gives the subject and bodies, if one does. */
    public Optional<String> templateId() {
        return Optional.ofNullable(templateId);
    }

    /** The template's variables. */
    public Map<String, Object> variables() {
        return variables;
    }

    /** The attachments, inline ones included. */
    public List<Attachment> attachments() {
        return attachments;
    }

    /** Extra headers, by name. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The tags. */
    public List<String> tags() {
        return tags;
    }

    /** The metadata. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The caller's idempotency key, if it gave one. */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    /** The stream it belongs to: {@link EmailStream#TRANSACTIONAL} unless set. */
    public EmailStream stream() {
        return stream;
    }

    /** Whether its opens and clicks are to be tracked ({@link Builder#track(boolean)}); false unless set. */
    public boolean track() {
        return track;
    }

    @Override
    public String toString() {
        // Addresses and bodies are personal data: never logged.
        return "EmailMessage[recipients=" + (to.size() + cc.size() + bcc.size()) + " attachments=" + attachments.size()
                + (templateId == null ? "" : " template=" + templateId) + "]";
    }

    /** Builds an {@link EmailMessage}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private EmailAddress from;
        private final List<EmailAddress> to = new ArrayList<>();
        private final List<EmailAddress> cc = new ArrayList<>();
        private final List<EmailAddress> bcc = new ArrayList<>();
        private final List<EmailAddress> replyTo = new ArrayList<>();
        private String subject = "";
        private String text = "";
        private String html = "";
        private String templateId;
        private final Map<String, Object> variables = new LinkedHashMap<>();
        private final List<Attachment> attachments = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<String> tags = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private String idempotencyKey;
        private EmailStream stream = EmailStream.TRANSACTIONAL;
        private boolean track;

        private Builder() {
        }

        /** The sender's address. */
        public Builder from(String address) {
            return from(address, "");
        }

        /** The sender's address and display name. */
        public Builder from(String address, String name) {
            this.from = address("from", address, name);
            return this;
        }

        /** The sender. */
        public Builder from(EmailAddress from) {
            this.from = Objects.requireNonNull(from, "from");
            return this;
        }

        /** Adds a To recipient. */
        public Builder to(String address) {
            return to(address, "");
        }

        /** Adds a To recipient with a display name. */
        public Builder to(String address, String name) {
            to.add(address("to", address, name));
            return this;
        }

        /** Adds a To recipient. */
        public Builder to(EmailAddress recipient) {
            to.add(Objects.requireNonNull(recipient, "to"));
            return this;
        }

        /** Adds a Cc recipient. */
        public Builder cc(String address) {
            cc.add(address("cc", address, ""));
            return this;
        }

        /** Adds a Cc recipient. */
        public Builder cc(EmailAddress recipient) {
            cc.add(Objects.requireNonNull(recipient, "cc"));
            return this;
        }

        /** Adds a Bcc recipient. */
        public Builder bcc(String address) {
            bcc.add(address("bcc", address, ""));
            return this;
        }

        /** Adds a Bcc recipient. */
        public Builder bcc(EmailAddress recipient) {
            bcc.add(Objects.requireNonNull(recipient, "bcc"));
            return this;
        }

        /** Adds a Reply-To address. */
        public Builder replyTo(String address) {
            replyTo.add(address("replyTo", address, ""));
            return this;
        }

        /** Adds a Reply-To address. */
        public Builder replyTo(EmailAddress address) {
            replyTo.add(Objects.requireNonNull(address, "replyTo"));
            return this;
        }

        /** The subject: one line of at most 998 characters. */
        public Builder subject(String subject) {
            this.subject = line("subject", subject);
            return this;
        }

        /** The plain-text body. */
        public Builder text(String text) {
            this.text = body("text", text);
            return this;
        }

        /** The HTML body. */
        public Builder html(String html) {
            this.html = body("html", html);
            return this;
        }

        /**
         * Takes the subject and bodies from the tenant's template {@code templateId} (its latest version), rendered
         * with {@code variables} when the email is sent.
         */
        public Builder template(String templateId, Map<String, ?> variables) {
            Objects.requireNonNull(templateId, "templateId");
            Objects.requireNonNull(variables, "variables");
            this.templateId = checkTemplateId("templateId", templateId);
            this.variables.clear();
            variables.forEach((name, value) -> this.variables.put(Objects.requireNonNull(name, "variable name"), value));
            return this;
        }

        /** Adds an attachment, or an inline part when it has a content id. */
        public Builder attach(Attachment attachment) {
            attachments.add(Objects.requireNonNull(attachment, "attachment"));
            return this;
        }

        /**
         * Adds an extra header: one line, its {@code name: value} at most 998 characters (RFC 5322 §2.1.1); the
         * headers IRISX sets itself (From, Subject, Message-ID, …) are refused. The value of a credential header
         * ({@code Authorization}, …) is shown as {@code ****} in the refusal.
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new IrisxValidationException("headers", name,
                        "is not a header name: 1-76 printable ASCII characters, no spaces or colons");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IrisxValidationException("headers", name, "is set by IRISX itself and cannot be overridden");
            }
            Objects.requireNonNull(value, "value");
            // A credential header's value is never shown in the refusal.
            String shown = Redaction.headerValue(name, value);
            if (value.chars().anyMatch(c -> c != '\t' && Character.isISOControl(c))) {
                throw new IrisxValidationException("headers." + name, shown, "must be one line: CR, LF, NUL and other"
                        + " control characters are refused (header injection)");
            }
            int length = name.length() + 2 + value.length();
            if (length > MAX_LINE) {
                throw new IrisxValidationException("headers." + name, Redaction.isSecretHeader(name) ? shown
                        : value.substring(0, 40) + "… (" + value.length() + " characters)", "makes a header line ("
                        + name + ": value) of " + length + " characters, more than the " + MAX_LINE
                        + " RFC 5322 allows");
            }
            headers.put(name, value);
            return this;
        }

        /** Adds a tag: 1-64 letters, digits, dots, underscores or hyphens; at most 10. */
        public Builder tag(String tag) {
            Labels.addTag(tags, tag);
            return this;
        }

        /** Adds a metadata entry: a key like a tag, a value of at most 500 characters; at most 20 entries. */
        public Builder metadata(String key, String value) {
            Labels.putMetadata(metadata, key, value);
            return this;
        }

        /**
         * The stream it belongs to ({@link EmailStream#TRANSACTIONAL} unless set): its recipients are checked against
         * that stream's suppression list, and a {@link EmailStream#MARKETING} email carries one-click unsubscribe
         * headers, so it must have exactly one recipient and its module must have unsubscribe links
         * ({@link EmailModule.Builder#links(String)}), else {@link EmailClient#send} refuses it.
         */
        public Builder stream(EmailStream stream) {
            this.stream = Objects.requireNonNull(stream, "stream");
            return this;
        }

        /**
         * Whether its opens and clicks are tracked (default false): when its module tracks its tenant's emails
         * ({@link EmailModule.Builder#tracking}), the links of its HTML body become tracking links and an open pixel
         * is added, as {@link EmailLinks} says; otherwise it is sent as it is. A tracked email has exactly one
         * recipient, as each recipient's opens and clicks are told apart by their links: {@link #build()} refuses
         * one with more, naming the field {@code track}.
         */
        public Builder track(boolean track) {
            this.track = track;
            return this;
        }

        /** The caller's idempotency key: sending again with the same key returns the first email's id. */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = Labels.idempotencyKey(idempotencyKey);
            return this;
        }

        /** Checks the whole email and returns it; the builder may be used again. */
        public EmailMessage build() {
            int recipients = to.size() + cc.size() + bcc.size();
            if (recipients == 0) {
                throw new IrisxValidationException("to", "[]", "at least one recipient (to, cc or bcc) is required");
            }
            if (recipients > MAX_RECIPIENTS) {
                throw new IrisxValidationException("to", recipients + " recipients",
                        "is more than the " + MAX_RECIPIENTS + " recipients one email may have");
            }
            if (track && recipients != 1) {
                throw new IrisxValidationException("track", recipients + " recipients", "tracks one recipient's"
                        + " opens and clicks, and this email has more: send one tracked email per recipient");
            }
            if (templateId != null) {
                if (!subject.isEmpty() || !text.isEmpty() || !html.isEmpty()) {
                    throw new IrisxValidationException("templateId", templateId,
                            "gives the subject and bodies: set either a template or subject, text and html");
                }
            } else {
                if (subject.isBlank()) {
                    throw new IrisxValidationException("subject", subject, "is required (or a template)");
                }
                if (text.isEmpty() && html.isEmpty()) {
                    throw new IrisxValidationException("text", "", "a text or html body is required (or a template)");
                }
            }
            return new EmailMessage(this);
        }

        private static EmailAddress address(String field, String address, String name) {
            Objects.requireNonNull(address, field);
            Objects.requireNonNull(name, "name");
            EmailAddress.check(field, address);
            EmailAddress.checkName(field + ".name", name);
            return new EmailAddress(address, name);
        }
    }

    /** Checks one header line: no CR, LF, NUL or other control character but tab, at most 998 characters. */
    static String line(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.chars().anyMatch(c -> c != '\t' && Character.isISOControl(c))) {
            throw new IrisxValidationException(field, value,
                    "must be one line: CR, LF, NUL and other control characters are refused (header injection)");
        }
        if (value.length() > MAX_LINE) {
            throw new IrisxValidationException(field, value.substring(0, 40) + "… (" + value.length() + " characters)",
                    "is longer than " + MAX_LINE + " characters");
        }
        return value;
    }

    /** Checks a body: any text but NUL. */
    static String body(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.indexOf('\0') >= 0) {
            throw new IrisxValidationException(field, "(" + value.length() + " characters)", "must not contain NUL");
        }
        return value;
    }

    /** Checks a template id: 1-64 lower-case letters, digits, '.', '_' or '-'. */
    static String checkTemplateId(String field, String templateId) {
        if (!TEMPLATE_ID.matcher(templateId).matches()) {
            throw new IrisxValidationException(field, templateId,
                    "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return templateId;
    }
}
