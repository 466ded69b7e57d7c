package dev.vestibule.examples.identity;

import dev.vestibule.guard.Reply;
import dev.vestibule.guard.Verified;
import dev.vestibule.identity.apikey.ApiKey;
import dev.vestibule.web.JsonBodies;
import dev.vestibule.web.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The routes other programs call with an {@code X-API-KEY}. The {@code apiKey} guard in front has checked the key
 * and its privilege; these handlers only read who is calling from {@link Verified#apiKey()}.
 */
final class MachineApi {
  static final int MAX_ITEM_BODY = 1024;
  private static final int MAX_SKU_LENGTH = 64;
  private static final int MAX_QUANTITY = 1_000_000;
  private static final String ITEM_EXAMPLE = "{\"sku\": \"bolt-m6\", \"quantity\": 40}";

  private final Inventory inventory;

  MachineApi(Inventory inventory) {
    this.inventory = inventory;
  }

  void list(RoutingContext ctx) {
    JsonObject items = new JsonObject();
    inventory.items().forEach(items::put);
    JsonBodies.send(ctx, 200, new JsonObject().put("items", items).put("caller", caller(ctx)));
  }

  void add(RoutingContext ctx) {
    Optional<JsonObject> item = Verified.of(ctx).json();
    String sku = item.map(json -> json.getValue("sku") instanceof String s ? s.strip() : null).orElse(null);
    Integer quantity = item.map(json -> json.getValue("quantity") instanceof Integer n ? n : null).orElse(null);
    if (sku == null || sku.isEmpty() || sku.length() > MAX_SKU_LENGTH || sku.chars().anyMatch(Character::isISOControl)
        || quantity == null || quantity < 1 || quantity > MAX_QUANTITY) {
      Problem.badRequest("Send an item as JSON, like " + ITEM_EXAMPLE + ": a SKU of at most " + MAX_SKU_LENGTH
          + " characters and a quantity from 1 to " + MAX_QUANTITY + ".").send(ctx.response());
      return;
    }
    JsonBodies.send(ctx, 201, new JsonObject()
        .put("sku", sku)
        .put("inStock", inventory.add(sku, quantity))
        .put("caller", caller(ctx)));
  }

  /** Answers with a reply rather than writing it, so that the {@code deduplicated} guard can share it. */
  Future<Reply> report(RoutingContext ctx) {
    return inventory.report(ctx.vertx()).map(report -> Reply.json(200, report.put("caller", caller(ctx))));
  }

  /** Who is calling: the key's id, owner and privilege, never the key itself. */
  private static JsonObject caller(RoutingContext ctx) {
    ApiKey key = Verified.of(ctx).apiKey().orElseThrow();
    return new JsonObject()
        .put("tokenId", key.tokenId())
        .put("userId", key.userId())
        .put("privilege", key.privilege().label());
  }
}
