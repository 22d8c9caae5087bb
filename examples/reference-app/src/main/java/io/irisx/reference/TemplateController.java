package io.irisx.reference;

import io.irisx.core.Tenant;
import io.irisx.core.tenant.ApiScope;
import io.irisx.messaging.email.EmailTemplate;
import io.irisx.messaging.email.RenderedEmail;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The caller's email templates: save (each save a new version), read, versions, delete, preview. */
@RestController
@RequestMapping("/v1/email/templates")
class TemplateController {

    record TemplateJson(String subject, String text, String html) {
    }

    @PutMapping("/{id}")
    @RequiresScope(ApiScope.EMAIL_SEND)
    EmailTemplate save(Tenant tenant, @PathVariable String id, @RequestBody TemplateJson body) {
        String subject = Paging.required(body.subject(), "subject");
        var templates = Clients.email(tenant).templates();
        if (body.text() != null && body.html() != null) {
            return templates.save(id, subject, body.text(), body.html());
        }
        if (body.text() != null) {
            return templates.saveText(id, subject, body.text());
        }
        return templates.saveHtml(id, subject, Paging.required(body.html(), "text or html"));
    }

    @GetMapping
    @RequiresScope(ApiScope.EMAIL_READ)
    List<EmailTemplate> list(Tenant tenant) {
        return Clients.email(tenant).templates().list();
    }

    @GetMapping("/{id}")
    @RequiresScope(ApiScope.EMAIL_READ)
    EmailTemplate get(Tenant tenant, @PathVariable String id) {
        return Clients.email(tenant).templates().get(id);
    }

    @GetMapping("/{id}/versions")
    @RequiresScope(ApiScope.EMAIL_READ)
    List<EmailTemplate> versions(Tenant tenant, @PathVariable String id) {
        return Clients.email(tenant).templates().versions(id);
    }

    @GetMapping("/{id}/versions/{version}")
    @RequiresScope(ApiScope.EMAIL_READ)
    EmailTemplate version(Tenant tenant, @PathVariable String id, @PathVariable int version) {
        return Clients.email(tenant).templates().get(id, version);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresScope(ApiScope.EMAIL_SEND)
    void delete(Tenant tenant, @PathVariable String id) {
        Clients.email(tenant).templates().delete(id);
    }

    @PostMapping("/{id}/preview")
    @RequiresScope(ApiScope.EMAIL_READ)
    RenderedEmail preview(Tenant tenant, @PathVariable String id, @RequestBody Map<String, Object> variables) {
        return Clients.email(tenant).templates().preview(id, variables);
    }
}
