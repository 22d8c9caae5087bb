package io.irisx.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.irisx.core.AuthenticationException;
import io.irisx.core.ConflictException;
import io.irisx.core.InsufficientCreditException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.ProviderException;
import io.irisx.core.RateLimitedException;
import io.irisx.core.SuppressedRecipientException;
import io.irisx.core.TenantSuspendedException;
import io.irisx.core.tenant.MissingScopeException;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every failure as one RFC 9457 problem-details body ({@code application/problem+json}: {@code type}, {@code title},
 * {@code status}, {@code detail}, {@code instance}, and members of its own): IRISX's exceptions by kind, Spring MVC's
 * own (unknown route, wrong method, unreadable body, bad or missing parameter) through
 * {@link ResponseEntityExceptionHandler}, in the same shape and words of the API's own (a path, a member, a
 * parameter; never the app's classes). A validation problem names the field as the request names it and the value
 * refused ({@code field}, {@code rejectedValue}) when IRISX or the app's parsing of a parameter
 * ({@link InvalidValueException}) names them; IRISX's {@code after} of a page is the route's {@code cursor}.
 * An unexpected failure is logged at ERROR and answered 500 without its message. Thread-safe.
 */
@RestControllerAdvice
class Problems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    private static final String TYPES = "https://irisx.io/problems/";
    /** The field IRISX's {@link io.irisx.core.PageRequest} names a cursor it cannot read by. */
    private static final String PAGE_CURSOR = "after";

    @ExceptionHandler(IrisxValidationException.class)
    ResponseEntity<ProblemDetail> validation(IrisxValidationException e) {
        String field = e.field();
        String detail = e.getMessage();
        if (field.equals(PAGE_CURSOR)) {
            // IRISX's PageRequest names its cursor "after"; the routes take it as the query parameter "cursor".
            field = "cursor";
            detail = "cursor" + detail.substring(PAGE_CURSOR.length());
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", "The request is not valid", detail);
        problem.setProperty("field", field);
        problem.setProperty("rejectedValue", e.rejectedValue());
        return answer(problem);
    }

    @ExceptionHandler({IllegalArgumentException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<ProblemDetail> invalid(Exception e) {
        String detail = e instanceof MethodArgumentTypeMismatchException mismatch
                ? mismatch.getName() + " is not valid: " + mismatch.getValue() : e.getMessage();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", "The request is not valid", detail);
        if (e instanceof InvalidValueException invalid) {
            problem.setProperty("field", invalid.field());
            if (invalid.value() != null) {
                problem.setProperty("rejectedValue", invalid.value());
            }
        } else if (e instanceof MethodArgumentTypeMismatchException mismatch) {
            problem.setProperty("field", mismatch.getName());
            problem.setProperty("rejectedValue", String.valueOf(mismatch.getValue()));
        }
        return answer(problem);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        ProblemDetail problem = problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
                "send a valid key as Authorization: Bearer <key>");
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(MissingScopeException.class)
    ResponseEntity<ProblemDetail> forbidden(MissingScopeException e) {
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "missing-scope", "The API key lacks a scope",
                "this route needs the scope " + e.scope().wireName());
        problem.setProperty("scope", e.scope().wireName());
        return answer(problem);
    }

    @ExceptionHandler(TenantSuspendedException.class)
    ResponseEntity<ProblemDetail> suspended(TenantSuspendedException e) {
        return answer(problem(HttpStatus.FORBIDDEN, "tenant-suspended", "The tenant is suspended", e.getMessage()));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
        problem.setProperty("kind", e.kind());
        problem.setProperty("id", e.id());
        return answer(problem);
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        return answer(problem(HttpStatus.CONFLICT, "conflict", "Conflict", e.getMessage()));
    }

    @ExceptionHandler(SuppressedRecipientException.class)
    ResponseEntity<ProblemDetail> suppressed(SuppressedRecipientException e) {
        return answer(problem(HttpStatus.UNPROCESSABLE_ENTITY, "suppressed-recipient", "The recipient is suppressed",
                e.getMessage()));
    }

    @ExceptionHandler(RateLimitedException.class)
    ResponseEntity<ProblemDetail> rateLimited(RateLimitedException e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                e.getMessage());
        problem.setProperty("retryAfterSeconds", seconds);
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(InsufficientCreditException.class)
    ResponseEntity<ProblemDetail> insufficientCredit(InsufficientCreditException e) {
        ProblemDetail problem = problem(HttpStatus.PAYMENT_REQUIRED, "insufficient-credit", "Insufficient credit",
                e.getMessage());
        problem.setProperty("needed", e.needed());
        problem.setProperty("available", e.available());
        problem.setProperty("currency", e.currency().getCurrencyCode());
        return answer(problem);
    }

    @ExceptionHandler(ProviderException.class)
    ResponseEntity<ProblemDetail> provider(ProviderException e) {
        log.warn("a provider failed a request: {}", e.getMessage());
        return answer(problem(HttpStatus.BAD_GATEWAY, "provider", "A provider failed", e.getMessage()));
    }

    @ExceptionHandler(ModuleMissingException.class)
    ResponseEntity<ProblemDetail> notConfigured(ModuleMissingException e) {
        return answer(problem(HttpStatus.SERVICE_UNAVAILABLE, "not-configured", "Not configured", e.getMessage()));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", "The request is not valid",
                "header " + e.getHeaderName() + " is required");
        problem.setProperty("field", e.getHeaderName());
        return answer(problem);
    }

    /** A required query parameter missing: a validation problem naming it, as the app's own "is required". */
    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", "The request is not valid",
                e.getParameterName() + " is required");
        problem.setProperty("field", e.getParameterName());
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) throws Exception {
        if (e instanceof ErrorResponse || e instanceof ServletRequestBindingException) {
            throw e;
        }
        log.error("a request failed unexpectedly", e);
        return answer(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "the request failed; the app's log has the details"));
    }

    /**
     * An unreadable body: which member (as {@code field}) and what is wrong with it, never the body itself nor the
     * app's Java types.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = "the body is not the JSON this route takes";
        String field = null;
        if (e.getCause() instanceof JsonMappingException mapping) {
            String path = mapping.getPath().stream().map(reference -> reference.getFieldName() != null
                    ? reference.getFieldName() : "[" + reference.getIndex() + "]").collect(Collectors.joining("."))
                    .replace(".[", "[");
            field = path.isEmpty() ? null : path;
            detail = (path.isEmpty() ? "body" : path) + ": " + mappingProblem(mapping);
        } else if (e.getCause() instanceof JsonProcessingException parsing) {
            detail = "the body is not valid JSON: " + parsing.getOriginalMessage();
        } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            detail = "this route takes a JSON body";
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation", "The request is not valid", detail);
        if (field != null) {
            problem.setProperty("field", field);
        }
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** What is wrong with a member, in the API's words: Jackson's own name the app's classes. */
    private static String mappingProblem(JsonMappingException mapping) {
        if (mapping instanceof UnrecognizedPropertyException unknown) {
            return "is not a member of this route's body, whose members are " + unknown.getKnownPropertyIds()
                    .stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
        }
        if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "must be " + jsonKind(mismatch.getTargetType());
        }
        return "is not valid here";
    }

    private static String jsonKind(Class<?> type) {
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /** A path no route serves: 404, naming the method and path (Spring's own detail speaks of static resources). */
    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String path = path(request);
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "no route serves " + e.getHttpMethod() + " " + path + "; the routes are in /openapi.yaml");
        return respond(problem, HttpHeaders.EMPTY);
    }

    /** A route that does not take the request's method: 405 with the methods it takes, in {@code Allow} too. */
    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String allowed = e.getSupportedHttpMethods() == null ? "" : e.getSupportedHttpMethods().stream()
                .map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        ProblemDetail problem = problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                path(request) + " does not take " + e.getMethod()
                        + (allowed.isEmpty() ? "" : "; it takes " + allowed));
        problem.setProperty("allowed", allowed.isEmpty() ? List.of() : List.of(allowed.split(", ")));
        return respond(problem, headers);
    }

    /** A body of a media type the route does not read: 415, naming the types it reads (in {@code Accept} too). */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String supported = joined(e.getSupportedMediaTypes());
        ProblemDetail problem = problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Unsupported media type", path(request) + " does not read "
                        + (e.getContentType() == null ? "a body without a Content-Type" : e.getContentType())
                        + (supported.isEmpty() ? "" : "; it reads " + supported));
        problem.setProperty("field", "Content-Type");
        return respond(problem, headers);
    }

    /**
     * An {@code Accept} the route cannot answer: 406, naming what it answers with. The problem itself is JSON, which
     * every client of the API reads.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String supported = joined(e.getSupportedMediaTypes());
        ProblemDetail problem = problem(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable",
                path(request) + " cannot answer in the types Accept asks for"
                        + (supported.isEmpty() ? "" : "; it answers with " + supported));
        problem.setProperty("field", "Accept");
        return respond(problem, HttpHeaders.EMPTY);
    }

    /** The media types, sorted and joined for a problem's detail. */
    private static String joined(List<MediaType> types) {
        return types.stream().map(MediaType::toString).sorted().collect(Collectors.joining(", "));
    }

    /** {@code problem} as the answer to one of Spring MVC's own failures, with the {@code headers} it set. */
    private static ResponseEntity<Object> respond(ProblemDetail problem, HttpHeaders headers) {
        return ResponseEntity.status(problem.getStatus()).headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "this path";
    }

    static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPES + type));
        problem.setTitle(title);
        return problem;
    }

    private static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
