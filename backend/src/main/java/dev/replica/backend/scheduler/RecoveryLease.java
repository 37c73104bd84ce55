package dev.replica.backend.scheduler;

import static dev.replica.backend.db.Tables.SCHEDULER_LEASE;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.DSLContext;

/**
 * The lease that makes one live process at a time the one that checks every run's heartbeat. Taking and
 * renewing it is one conditional UPDATE, so two processes never both believe they hold it.
 */
@ApplicationScoped
public class RecoveryLease {

    private static final String NAME = "recovery";

    @Inject
    DSLContext dsl;

    /** Takes or renews the lease for {@code owner} until now + {@code ttl}; false while another live process holds it. */
    boolean hold(String owner, Duration ttl) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return dsl.update(SCHEDULER_LEASE)
                        .set(SCHEDULER_LEASE.OWNER, owner)
                        .set(SCHEDULER_LEASE.EXPIRES_AT, now.plus(ttl))
                        .where(SCHEDULER_LEASE.NAME.eq(NAME))
                        .and(SCHEDULER_LEASE
                                .OWNER
                                .eq(owner)
                                .or(SCHEDULER_LEASE.OWNER.isNull())
                                .or(SCHEDULER_LEASE.EXPIRES_AT.lt(now)))
                        .execute()
                == 1;
    }

    /** Gives the lease up (at shutdown), so the next process need not wait for it to expire. */
    void release(String owner) {
        dsl.update(SCHEDULER_LEASE)
                .set(SCHEDULER_LEASE.OWNER, (String) null)
                .set(SCHEDULER_LEASE.EXPIRES_AT, (OffsetDateTime) null)
                .where(SCHEDULER_LEASE.NAME.eq(NAME).and(SCHEDULER_LEASE.OWNER.eq(owner)))
                .execute();
    }

    /** Who holds the lease now, or null. */
    String holder() {
        return dsl.select(SCHEDULER_LEASE.OWNER)
                .from(SCHEDULER_LEASE)
                .where(SCHEDULER_LEASE.NAME.eq(NAME))
                .and(SCHEDULER_LEASE.EXPIRES_AT.ge(OffsetDateTime.now(ZoneOffset.UTC)))
                .fetchOptional(SCHEDULER_LEASE.OWNER)
                .orElse(null);
    }
}
