package io.irisx.reference;

import io.irisx.core.Tenant;
import io.irisx.core.tenant.ApiScope;
import io.irisx.messaging.email.SenderStats;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's sender statistics per sending domain, with the rates a sender watches. */
@RestController
class EmailStatsController {

    /** One domain's counts over the period, and their rates (0 to 1). */
    record DomainStats(SenderStats counts, double bounceRate, double hardBounceRate, double complaintRate,
            double unsubscribeRate, double openRate, double clickRate) {

        static DomainStats of(SenderStats stats) {
            return new DomainStats(stats, stats.bounceRate(), stats.hardBounceRate(), stats.complaintRate(),
                    stats.unsubscribeRate(), stats.openRate(), stats.clickRate());
        }
    }

    @GetMapping("/v1/email/stats")
    @RequiresScope(ApiScope.EMAIL_READ)
    List<DomainStats> stats(Tenant tenant, @RequestParam String from, @RequestParam String to) {
        return Clients.email(tenant).stats(Paging.instant("from", from), Paging.instant("to", to)).stream()
                .map(DomainStats::of).toList();
    }
}
