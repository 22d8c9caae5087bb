package io.irisx.reference;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves the API's OpenAPI 3.1 document, {@code openapi.yaml} beside the routes, to anyone. */
@RestController
class OpenApiController {

    static final String DOCUMENT = "openapi.yaml";

    @GetMapping("/openapi.yaml")
    ResponseEntity<Resource> document() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml"))
                .body(new ClassPathResource(DOCUMENT));
    }
}
