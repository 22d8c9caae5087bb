package io.irisx.reference;

import io.irisx.core.Page;
import io.irisx.core.Tenant;
import io.irisx.core.id.CallId;
import io.irisx.core.id.RecordingId;
import io.irisx.core.tenant.ApiScope;
import io.irisx.voice.Call;
import io.irisx.voice.CallFilter;
import io.irisx.voice.CallRequest;
import io.irisx.voice.CallStatus;
import io.irisx.voice.CallStatusChange;
import io.irisx.voice.MachineDetection;
import io.irisx.voice.Recording;
import io.irisx.voice.RecordingMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Calls of the caller's tenant: place (honouring {@code Idempotency-Key}), get, list with filters (status, numbers,
 * creation time), history, hang up, redirect, recordings.
 */
@RestController
@RequestMapping("/v1/calls")
class CallController {

    record PlaceCall(String to, String from, String flow, String url, String record, String machineDetection,
            Integer ringTimeoutSeconds, Integer timeLimitSeconds, String statusCallback) {
    }

    record Redirect(String flow) {
    }

    record Placed(CallId id) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(ApiScope.CALLS_WRITE)
    Placed place(Tenant tenant, @RequestBody PlaceCall body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        CallRequest.Builder call = CallRequest.builder().to(Paging.required(body.to(), "to"))
                .from(Paging.required(body.from(), "from"));
        if (body.flow() != null) {
            call.flow(body.flow());
        }
        if (body.url() != null) {
            call.url(body.url());
        }
        if (body.record() != null) {
            call.record(Paging.enumValue(RecordingMode.class, "record", body.record()));
        }
        if (body.machineDetection() != null) {
            call.machineDetection(Paging.enumValue(MachineDetection.class, "machineDetection", body.machineDetection()));
        }
        if (body.ringTimeoutSeconds() != null) {
            call.ringTimeout(Duration.ofSeconds(body.ringTimeoutSeconds()));
        }
        if (body.timeLimitSeconds() != null) {
            call.timeLimit(Duration.ofSeconds(body.timeLimitSeconds()));
        }
        if (body.statusCallback() != null) {
            call.statusCallback(body.statusCallback());
        }
        if (idempotencyKey != null) {
            call.idempotencyKey(idempotencyKey);
        }
        return new Placed(Clients.voice(tenant).call(call.build()));
    }

    @GetMapping
    @RequiresScope(ApiScope.CALLS_READ)
    Page<Call> list(Tenant tenant, @RequestParam(required = false) List<String> status,
            @RequestParam(required = false) String to, @RequestParam(required = false) String from,
            @RequestParam(required = false) String createdFrom, @RequestParam(required = false) String createdTo,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        CallFilter filter = CallFilter.all();
        List<CallStatus> statuses = Paging.enumValues(CallStatus.class, "status", status);
        if (!statuses.isEmpty()) {
            filter = filter.statuses(statuses.get(0),
                    statuses.subList(1, statuses.size()).toArray(CallStatus[]::new));
        }
        Optional<Paging.Window> created = Paging.created(createdFrom, createdTo);
        if (created.isPresent()) {
            filter = filter.createdBetween(created.get().from(), created.get().to());
        }
        if (to != null) {
            filter = filter.to(Paging.required(to, "to"));
        }
        if (from != null) {
            filter = filter.from(Paging.required(from, "from"));
        }
        return Clients.voice(tenant).list(filter, Paging.page(cursor, limit));
    }

    @GetMapping("/{id}")
    @RequiresScope(ApiScope.CALLS_READ)
    Call get(Tenant tenant, @PathVariable String id) {
        return Clients.voice(tenant).get(CallId.parse(id));
    }

    @GetMapping("/{id}/history")
    @RequiresScope(ApiScope.CALLS_READ)
    List<CallStatusChange> history(Tenant tenant, @PathVariable String id) {
        return Clients.voice(tenant).history(CallId.parse(id));
    }

    @PostMapping("/{id}/hangup")
    @RequiresScope(ApiScope.CALLS_WRITE)
    Call hangup(Tenant tenant, @PathVariable String id) {
        return Clients.voice(tenant).hangup(CallId.parse(id));
    }

    @PostMapping("/{id}/redirect")
    @RequiresScope(ApiScope.CALLS_WRITE)
    Call redirect(Tenant tenant, @PathVariable String id, @RequestBody Redirect body) {
        return Clients.voice(tenant).redirect(CallId.parse(id), Paging.required(body.flow(), "flow"));
    }

    @GetMapping("/{id}/recordings")
    @RequiresScope(ApiScope.CALLS_READ)
    List<Recording> recordings(Tenant tenant, @PathVariable String id) {
        return Clients.voice(tenant).recordings(CallId.parse(id));
    }

    @DeleteMapping("/recordings/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresScope(ApiScope.CALLS_WRITE)
    void deleteRecording(Tenant tenant, @PathVariable String id) {
        Clients.voice(tenant).deleteRecording(RecordingId.parse(id));
    }
}
