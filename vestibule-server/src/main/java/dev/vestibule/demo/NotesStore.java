package dev.vestibule.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The demo API's notes, per user, in one JSON file so they survive a restart. */
final class NotesStore {
  private final Path file;
  private JsonObject notesByUser;

  NotesStore(Path file) {
    this.file = file;
    try {
      notesByUser = Files.exists(file) ? new JsonObject(Files.readString(file)) : new JsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized List<JsonObject> list(String userId) {
    return notesByUser.getJsonArray(userId, new JsonArray()).stream().map(JsonObject.class::cast).toList();
  }

  synchronized JsonObject add(String userId, String text) {
    JsonObject note = new JsonObject()
        .put("id", UUID.randomUUID().toString())
        .put("text", text)
        .put("createdAt", Instant.now().toString());
    JsonArray notes = notesByUser.getJsonArray(userId, new JsonArray());
    notes.add(note);
    notesByUser.put(userId, notes);
    save();
    return note;
  }

  synchronized boolean delete(String userId, String noteId) {
    JsonArray notes = notesByUser.getJsonArray(userId, new JsonArray());
    boolean removed = notes.getList().removeIf(note -> note instanceof JsonObject json
        ? noteId.equals(json.getString("id"))
        : note instanceof java.util.Map<?, ?> map && noteId.equals(map.get("id")));
    if (removed) save();
    return removed;
  }

  private void save() {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temporary, notesByUser.encode());
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
