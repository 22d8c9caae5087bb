package io.irisx.reference;

import io.irisx.core.Page;
import io.irisx.core.Tenant;
import io.irisx.core.tenant.ApiScope;
import io.irisx.messaging.email.EmailStream;
import io.irisx.messaging.email.Suppression;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's email suppression lists, one per stream: list, find, add, remove. */
@RestController
@RequestMapping("/v1/email/suppressions")
class SuppressionController {

    record AddSuppression(String address, String note) {
    }

    @GetMapping("/{stream}")
    @RequiresScope(ApiScope.EMAIL_READ)
    Page<Suppression> list(Tenant tenant, @PathVariable String stream, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return Clients.email(tenant).suppressions().list(stream(stream), Paging.page(cursor, limit));
    }

    @GetMapping("/{stream}/{address}")
    @RequiresScope(ApiScope.EMAIL_READ)
    Suppression find(Tenant tenant, @PathVariable String stream, @PathVariable String address) {
        return Clients.email(tenant).suppressions().find(address, stream(stream))
                .orElseThrow(() -> new io.irisx.core.NotFoundException("suppression", address));
    }

    @PostMapping("/{stream}")
    @RequiresScope(ApiScope.EMAIL_SEND)
    ResponseEntity<Suppression> add(Tenant tenant, @PathVariable String stream, @RequestBody AddSuppression body) {
        String address = Paging.required(body.address(), "address");
        boolean added = Clients.email(tenant).suppressions().add(address, stream(stream),
                body.note() == null ? "added through the API" : body.note());
        Suppression suppression = Clients.email(tenant).suppressions().find(address, stream(stream)).orElseThrow();
        return ResponseEntity.status(added ? HttpStatus.CREATED : HttpStatus.OK).body(suppression);
    }

    @DeleteMapping("/{stream}/{address}")
    @RequiresScope(ApiScope.EMAIL_SEND)
    ResponseEntity<Void> remove(Tenant tenant, @PathVariable String stream, @PathVariable String address) {
        if (!Clients.email(tenant).suppressions().remove(address, stream(stream))) {
            throw new io.irisx.core.NotFoundException("suppression", address);
        }
        return ResponseEntity.noContent().build();
    }

    private static EmailStream stream(String stream) {
        return Paging.enumValue(EmailStream.class, "stream", stream);
    }
}
