package dev.replica.backend.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The wake-up that lets a finished run's slot go to the next queued run without waiting for the poll. */
class SlotFreedTest {

    @Test
    void aSignalAfterTheSeenGenerationEndsTheWaitAtOnce() throws Exception {
        SlotFreed s = new SlotFreed();
        long seen = s.generation();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                return s.awaitAfter(seen, 60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waiting.await();
        s.signal();
        assertThat(woke.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSignalBeforeTheWaitIsNotLost() throws Exception {
        SlotFreed s = new SlotFreed();
        long seen = s.generation();
        s.signal(); // the run ended between the tick and the wait
        assertThat(s.awaitAfter(seen, 60_000)).isTrue();
        assertThat(s.generation()).isEqualTo(seen + 1);
    }

    @Test
    void withoutASignalTheWaitEndsAtItsTimeout() throws Exception {
        SlotFreed s = new SlotFreed();
        assertThat(s.awaitAfter(s.generation(), 20)).isFalse();
    }

    @Test
    void everySignalReachesTheListener() {
        SlotFreed s = new SlotFreed();
        AtomicInteger calls = new AtomicInteger();
        s.onSignal(calls::incrementAndGet);
        s.signal();
        s.signal();
        assertThat(calls).hasValue(2);
    }
}
