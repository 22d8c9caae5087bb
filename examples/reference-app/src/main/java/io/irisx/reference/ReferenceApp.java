package io.irisx.reference;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The reference host app: a Spring Boot service on irisx-spring-boot-starter that puts IRISX's capabilities behind a
 * REST API (API keys with scopes, problem-details errors, cursor paging, idempotency keys) and mounts the providers'
 * callbacks. On the embedded defaults (H2 under {@code ./irisx-data}, the database outbox) unless the
 * {@code production} profile is active (PostgreSQL and NATS JetStream).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ReferenceApp {

    /** Starts the app; Spring Boot's arguments ({@code --server.port=…}, {@code --spring.profiles.active=…}). */
    public static void main(String[] args) {
        SpringApplication.run(ReferenceApp.class, args);
    }
}
