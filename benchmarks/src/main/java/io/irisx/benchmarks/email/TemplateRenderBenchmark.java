package io.irisx.benchmarks.email;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailTemplate;
import io.irisx.messaging.email.EmailTemplates;
import io.irisx.messaging.email.RenderedEmail;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering a welcome email's template — subject, text and HTML bodies, ten variables, some of which the HTML body
 * must escape — as a send renders it, beside the limit: JMustache itself, the three parts compiled once with the same
 * settings, executed with the same variables.
 *
 * <p>{@link #irisxRender} is what a send pays for rendering: {@link EmailTemplates#render} of a stored template's
 * version (a cache key per part, the compiled template looked up by it, executed). {@link #irisxPreview} is
 * {@link EmailTemplates#preview}: that rendering after reading the template's latest version from the database (an
 * in-memory H2), as {@code EmailClient.send} reads it for every templated email. Every part is checked, at set-up, to
 * render the same text on each path. One instance per benchmark thread.
 *
 * <p>Not {@code final}: JMH generates a subclass of each benchmark class.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class TemplateRenderBenchmark {

    private static final TenantId TENANT = TenantId.of("acme");

    static final String SUBJECT = "Welcome to {{company}}, {{firstName}}!";

    static final String TEXT = """
            Hi {{firstName}} {{lastName}},

            Welcome to {{company}}! Your account {{username}} is ready on the {{plan}} plan, free until {{trialEnds}}.

            Confirm your address to get started:
            {{confirmUrl}}

            Invite a colleague with your referral code {{referralCode}} and you both get a month free.

            Questions? Write to {{supportEmail}}, or just reply to this email.

            The {{company}} team

            Unsubscribe: {{unsubscribeUrl}}
            """;

    static final String HTML = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Welcome to {{company}}</title></head>
            <body style="margin:0;padding:0;background:#f4f4f7;font-family:Helvetica,Arial,sans-serif;">
              <table role="presentation" width="100%" cellpadding="0" cellspacing="0">
                <tr><td align="center" style="padding:24px;">
                  <table role="presentation" width="570" cellpadding="0" cellspacing="0" style="background:#ffffff;">
                    <tr><td style="padding:32px;">
                      <h1 style="font-size:22px;color:#333333;">Welcome, {{firstName}} {{lastName}}!</h1>
                      <p>Thanks for joining <strong>{{company}}</strong>. Your account <code>{{username}}</code> is
                        ready on the <strong>{{plan}}</strong> plan, free until {{trialEnds}}.</p>
                      <p style="text-align:center;">
                        <a href="{{confirmUrl}}" style="background:#3869d4;color:#ffffff;padding:12px 24px;
                          border-radius:4px;text-decoration:none;">Confirm your address</a></p>
                      <p>Invite a colleague with your referral code <strong>{{referralCode}}</strong> and you both
                        get a month free.</p>
                      <p>Questions? Write to <a href="mailto:{{supportEmail}}">{{supportEmail}}</a>, or just reply to
                        this email.</p>
                      <p>The {{company}} team</p>
                    </td></tr>
                    <tr><td style="padding:16px 32px;font-size:12px;color:#999999;">
                      <a href="{{unsubscribeUrl}}">Unsubscribe</a></td></tr>
                  </table>
                </td></tr>
              </table>
            </body>
            </html>
            """;

    private Map<String, Object> variables;
    private Irisx irisx;
    private EmailTemplates templates;
    private EmailTemplate stored;
    private Template subject;
    private Template text;
    private Template html;

    /** The variables of one welcome email, some holding {@code & < > " '}. */
    static Map<String, Object> variables() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("firstName", "Ada");
        variables.put("lastName", "O'Brien");
        variables.put("company", "Smith & Jones <Consulting>");
        variables.put("username", "ada.obrien");
        variables.put("plan", "Team \"Plus\"");
        variables.put("trialEnds", "1 March 2030");
        variables.put("confirmUrl", "https://app.example.com/confirm?token=8f14e45fceea167a&user=42&lang=en");
        variables.put("referralCode", "ADA-7Q3X");
        variables.put("supportEmail", "help@smith-jones.example");
        variables.put("unsubscribeUrl", "https://app.example.com/unsubscribe?u=42&list=welcome");
        return variables;
    }

    /** Stores the template, builds both paths, and checks that they render the same email. */
    @Setup
    public void setUp() {
        variables = variables();
        irisx = Irisx.builder()
                .jdbcUrl("jdbc:h2:mem:templates-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;"
                        + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", null, null)
                .sealingKeys(SealingKeys.generate("k1"))
                .install(EmailModule.builder().sendOnly().build())
                .build();
        templates = EmailClient.of(irisx.tenant(TENANT)).templates();
        stored = templates.save("welcome", SUBJECT, TEXT, HTML);

        Mustache.Compiler compiler = Mustache.compiler().strictSections(true);
        subject = compiler.escapeHTML(false).compile(SUBJECT);
        text = compiler.escapeHTML(false).compile(TEXT);
        html = compiler.escapeHTML(true).compile(HTML);

        RenderedEmail preview = irisxPreview();
        RenderedEmail rendered = irisxRender();
        List<String> limit = jmustache();
        if (!List.of(preview.subject(), preview.text(), preview.html()).equals(limit)
                || !List.of(rendered.subject(), rendered.text(), rendered.html()).equals(limit)
                || !limit.get(2).contains("Smith &amp; Jones &lt;Consulting&gt;")) {
            throw new IllegalStateException("the paths render different emails: " + preview + " / " + rendered
                    + " / " + limit);
        }
    }

    /** Closes the runtime and its database. */
    @TearDown
    public void tearDown() {
        irisx.close();
    }

    /** IRISX: render the stored template's three parts through the renderer, as a send does. */
    @Benchmark
    public RenderedEmail irisxRender() {
        return templates.render(stored, variables);
    }

    /** IRISX: preview the template, reading its latest version from the database, then rendering it. */
    @Benchmark
    public RenderedEmail irisxPreview() {
        return templates.preview("welcome", variables);
    }

    /** The limit: JMustache executing the three parts, each compiled once. */
    @Benchmark
    public List<String> jmustache() {
        return List.of(subject.execute(variables), text.execute(variables), html.execute(variables));
    }
}
