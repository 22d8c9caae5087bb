package io.irisx.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code irisx.email.*} properties: the email module and its providers. A provider is configured by its key
 * property (a token, an API key, the SES region, the SMTP host); the module is installed when at least one is, or
 * when the process is send-only. Bound once at startup and then only read; not thread-safe while being bound.
 */
public class EmailProperties {

    /** Whether to install the email module when io.irisx:irisx-messaging is on the class path and configured. */
    private boolean enabled = true;

    /** Whether this process only queues emails, leaving the sending to other processes; takes no provider. */
    private boolean sendOnly;

    /**
     * The failover chain every tenant without its own uses, by provider (postmark, resend, sendgrid, mailgun,
     * elastic-email, ses, smtp); by default the configured providers in that order.
     */
    private List<String> chain = new ArrayList<>();

    /** Chains of their own for some tenants: tenant id to providers, in order. */
    private Map<String, List<String>> tenantChains = new LinkedHashMap<>();

    /** How many emails this process sends at once, 1 to 256 (IRISX's default, 4, when unset). */
    private Integer concurrency;

    /**
     * Whether a send with suppressed recipients among others goes to the others, the suppressed ones dropped
     * (IRISX's default, false, when unset: the send is refused).
     */
    private Boolean dropSuppressedRecipients;

    /** The links IRISX puts in emails: one-click unsubscribe, open and click tracking. */
    private final Links links = new Links();

    /** Which tenants' emails may be tracked (opens and clicks); needs irisx.email.links.base-url. */
    private final Tracking tracking = new Tracking();

    /** When a sending domain's complaint rate raises an alert; IRISX's defaults for what is unset. */
    private final ComplaintAlerts complaintAlerts = new ComplaintAlerts();

    /** Postmark, through a server's API token. */
    private final Postmark postmark = new Postmark();

    /** Resend. */
    private final ApiKeyProvider resend = new ApiKeyProvider();

    /** SendGrid, through its SDK (com.sendgrid:sendgrid-java, to add). */
    private final ApiKeyProvider sendgrid = new ApiKeyProvider();

    /** Mailgun, in the US or EU region. */
    private final Mailgun mailgun = new Mailgun();

    /** Elastic Email. */
    private final ApiKeyProvider elasticEmail = new ApiKeyProvider();

    /**
     * AWS SES v2, through the AWS SDK (software.amazon.awssdk:sesv2 and url-connection-client, and
     * org.eclipse.angus:angus-mail, to add).
     */
    private final Ses ses = new Ses();

    /** An SMTP server, through Angus Mail (org.eclipse.angus:angus-mail, to add). */
    private final Smtp smtp = new Smtp();

    /**
     * The providers configured, by their property names (postmark, resend, sendgrid, mailgun, elastic-email, ses,
     * smtp), in that order.
     */
    public List<String> configuredProviders() {
        List<String> configured = new ArrayList<>();
        addIf(configured, "postmark", postmark.getServerToken());
        addIf(configured, "resend", resend.getApiKey());
        addIf(configured, "sendgrid", sendgrid.getApiKey());
        addIf(configured, "mailgun", mailgun.getApiKey());
        addIf(configured, "elastic-email", elasticEmail.getApiKey());
        addIf(configured, "ses", ses.getRegion());
        addIf(configured, "smtp", smtp.getHost());
        return configured;
    }

    static void addIf(List<String> configured, String provider, String key) {
        if (key != null && !key.isBlank()) {
            configured.add(provider);
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isSendOnly() {
        return sendOnly;
    }

    public void setSendOnly(boolean sendOnly) {
        this.sendOnly = sendOnly;
    }

    public List<String> getChain() {
        return chain;
    }

    public void setChain(List<String> chain) {
        this.chain = chain;
    }

    public Map<String, List<String>> getTenantChains() {
        return tenantChains;
    }

    public void setTenantChains(Map<String, List<String>> tenantChains) {
        this.tenantChains = tenantChains;
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    public Boolean getDropSuppressedRecipients() {
        return dropSuppressedRecipients;
    }

    public void setDropSuppressedRecipients(Boolean dropSuppressedRecipients) {
        this.dropSuppressedRecipients = dropSuppressedRecipients;
    }

    public Links getLinks() {
        return links;
    }

    public Tracking getTracking() {
        return tracking;
    }

    public ComplaintAlerts getComplaintAlerts() {
        return complaintAlerts;
    }

    public Postmark getPostmark() {
        return postmark;
    }

    public ApiKeyProvider getResend() {
        return resend;
    }

    public ApiKeyProvider getSendgrid() {
        return sendgrid;
    }

    public Mailgun getMailgun() {
        return mailgun;
    }

    public ApiKeyProvider getElasticEmail() {
        return elasticEmail;
    }

    public Ses getSes() {
        return ses;
    }

    public Smtp getSmtp() {
        return smtp;
    }

    /** A provider's API address, for a regional endpoint, a proxy or a local server in tests. */
    public static class HttpProvider {

        /** The provider's API base URL instead of its public one. */
        private String baseUrl;

        public String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }
    }

    /** A provider that authenticates with an API key. */
    public static class ApiKeyProvider extends HttpProvider {

        /** The API key; configures the provider. */
        private String apiKey;

        public String getApiKey() {
            return apiKey;
        }

        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }
    }

    /** {@code irisx.email.postmark.*}. */
    public static class Postmark extends HttpProvider {

        /** The API token of the Postmark server to send through; configures the provider. */
        private String serverToken;

        /** The message stream the emails go through (Postmark's default transactional stream, outbound, when unset). */
        private String messageStream;

        public String getServerToken() {
            return serverToken;
        }

        public void setServerToken(String serverToken) {
            this.serverToken = serverToken;
        }

        public String getMessageStream() {
            return messageStream;
        }

        public void setMessageStream(String messageStream) {
            this.messageStream = messageStream;
        }
    }

    /** {@code irisx.email.mailgun.*}. */
    public static class Mailgun extends ApiKeyProvider {

        /** The sending domain, such as mg.example.com; required with the API key. */
        private String domain;

        /** The region whose API serves the domain: us or eu. */
        private String region = "us";

        public String getDomain() {
            return domain;
        }

        public void setDomain(String domain) {
            this.domain = domain;
        }

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region;
        }
    }

    /** {@code irisx.email.ses.*}. */
    public static class Ses extends HttpProvider {

        /** The AWS region to send in, such as eu-west-1; configures the provider. */
        private String region;

        /**
         * A long-lived access key id; without one the AWS SDK's default credentials chain is used (environment,
         * profile, instance or task role).
         */
        private String accessKeyId;

        /** The secret of the access key; required with access-key-id. */
        private String secretAccessKey;

        /** The session token of temporary credentials, with access-key-id and secret-access-key. */
        private String sessionToken;

        /** The configuration set whose event destinations receive the emails' events. */
        private String configurationSet;

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region;
        }

        public String getAccessKeyId() {
            return accessKeyId;
        }

        public void setAccessKeyId(String accessKeyId) {
            this.accessKeyId = accessKeyId;
        }

        public String getSecretAccessKey() {
            return secretAccessKey;
        }

        public void setSecretAccessKey(String secretAccessKey) {
            this.secretAccessKey = secretAccessKey;
        }

        public String getSessionToken() {
            return sessionToken;
        }

        public void setSessionToken(String sessionToken) {
            this.sessionToken = sessionToken;
        }

        public String getConfigurationSet() {
            return configurationSet;
        }

        public void setConfigurationSet(String configurationSet) {
            this.configurationSet = configurationSet;
        }
    }

    /** {@code irisx.email.smtp.*}. */
    public static class Smtp {

        /** The SMTP server's host name or address; configures the provider. */
        private String host;

        /** The SMTP server's port. */
        private int port = 587;

        /** The user to authenticate as (AUTH); none when unset. */
        private String username;

        /** The password of the user; required with username. */
        private String password;

        /** Whether the connection is upgraded to TLS with STARTTLS: off, when-offered or required. */
        private String startTls = "when-offered";

        /** Whether the connection is TLS from its first byte (smtps, usually port 465). */
        private boolean implicitTls;

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getStartTls() {
            return startTls;
        }

        public void setStartTls(String startTls) {
            this.startTls = startTls;
        }

        public boolean isImplicitTls() {
            return implicitTls;
        }

        public void setImplicitTls(boolean implicitTls) {
            this.implicitTls = implicitTls;
        }
    }

    /** {@code irisx.email.links.*}. */
    public static class Links {

        /**
         * Where the links IRISX puts in emails point (base-url/u/…, /o/…, /c/…), which the application answers with
         * EmailModule.links(): an https URL with a host and no query; required to send marketing emails.
         */
        private String baseUrl;

        /**
         * A mailbox added to each marketing email's List-Unsubscribe as a mailto: link, whose mail the application
         * hands to EmailLinks.unsubscribeByMail; needs base-url.
         */
        private String unsubscribeMailbox;

        public String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public String getUnsubscribeMailbox() {
            return unsubscribeMailbox;
        }

        public void setUnsubscribeMailbox(String unsubscribeMailbox) {
            this.unsubscribeMailbox = unsubscribeMailbox;
        }
    }

    /** {@code irisx.email.tracking.*}: by default no tenant's emails are tracked. */
    public static class Tracking {

        /** Whether every tenant's emails that ask to be tracked are tracked. */
        private boolean enabled;

        /** The tenants whose emails that ask to be tracked are tracked, when not every tenant's are. */
        private List<String> tenants = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getTenants() {
            return tenants;
        }

        public void setTenants(List<String> tenants) {
            this.tenants = tenants;
        }
    }

    /** {@code irisx.email.complaint-alerts.*}: each unset value is IRISX's default. */
    public static class ComplaintAlerts {

        /** The window the complaint rate is computed over (IRISX's default, 1d, when unset). */
        private Duration window;

        /** The complaint rate that raises a warning, above 0 and at most the alarm (0.001, that is 0.1 %, when unset). */
        private Double warning;

        /** The complaint rate that raises an alarm, at most 1 (0.003, that is 0.3 %, when unset). */
        private Double alarm;

        /** The fewest emails delivered in the window for a rate to count, at least 1 (100 when unset). */
        private Long minimumVolume;

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public Double getWarning() {
            return warning;
        }

        public void setWarning(Double warning) {
            this.warning = warning;
        }

        public Double getAlarm() {
            return alarm;
        }

        public void setAlarm(Double alarm) {
            this.alarm = alarm;
        }

        public Long getMinimumVolume() {
            return minimumVolume;
        }

        public void setMinimumVolume(Long minimumVolume) {
            this.minimumVolume = minimumVolume;
        }
    }
}
