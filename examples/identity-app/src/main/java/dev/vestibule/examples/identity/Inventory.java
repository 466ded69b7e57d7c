package dev.vestibule.examples.identity;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The app's own data: stock per SKU, in memory, and a stock report that takes a while to compile. */
public final class Inventory {
  private final Map<String, Integer> stock = new ConcurrentHashMap<>();
  private final Duration reportTime;
  private final AtomicInteger reportsCompiled = new AtomicInteger();

  /** @param reportTime how long compiling a report takes (standing in for a slow query) */
  public Inventory(Duration reportTime) {
    this.reportTime = reportTime;
  }

  /** Every SKU with its quantity, sorted by SKU. */
  public Map<String, Integer> items() {
    return new TreeMap<>(stock);
  }

  /** Adds {@code quantity} of {@code sku}; the new quantity in stock, which stops at Integer.MAX_VALUE. */
  public int add(String sku, int quantity) {
    return stock.merge(sku, quantity, (held, more) -> (int) Math.min((long) held + more, Integer.MAX_VALUE));
  }

  public Future<JsonObject> report(Vertx vertx) {
    Promise<JsonObject> compiled = Promise.promise();
    vertx.setTimer(Math.max(1, reportTime.toMillis()), id -> {
      reportsCompiled.incrementAndGet();
      Map<String, Integer> items = items();
      compiled.complete(new JsonObject()
          .put("skus", items.size())
          .put("units", items.values().stream().mapToInt(Integer::intValue).sum()));
    });
    return compiled.future();
  }

  /** How many reports were compiled: identical concurrent requests share one. */
  public int reportsCompiled() {
    return reportsCompiled.get();
  }
}
