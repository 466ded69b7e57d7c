package dev.vestibule.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Runs calls at the same moment, each on its own thread (the common pool has one worker on 2 cores). */
public final class Concurrently {
  private Concurrently() {}

  public static <T> List<T> run(int times, Supplier<T> call) {
    ExecutorService threads = Executors.newFixedThreadPool(times);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < times; i++) {
        futures.add(threads.submit(() -> {
          start.await();
          return call.get();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) results.add(future.get(60, TimeUnit.SECONDS));
      return results;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      threads.shutdownNow();
    }
  }
}
