package cn.legalkoi.datacare;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json} of a backup: when it was taken, the versions that wrote it, and the size and SHA-256 of every
 * file (paths relative to the backup, with {@code /}). Written last, so a backup without one is incomplete.
 *
 * <pre>{"createdAt":"2026-11-29T12:00:00Z","versions":{"legalKoi":"0.1","sqlite":"3.50.3","lucene":"9.12.1",
 *  "schema":{"tickets":3,...}},"indexGeneration":"gen-20261129-115900-000",
 *  "files":[{"path":"legal-koi.db","size":4096,"sha256":"…"}, …]}</pre>
 */
public record BackupManifest(JsonObject json) {
  public static final String FILE = "manifest.json";
  public static final String DATABASE = "legal-koi.db";
  public static final String INDEX = "index";
  public static final String FILES = "files";
  public static final String CONFIG = "config";

  /** Lists every file under {@code backupDir} with its checksum. */
  static JsonArray describe(Path backupDir) throws IOException {
    Map<String, JsonObject> files = new TreeMap<>();
    try (var walk = Files.walk(backupDir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String relative = relative(backupDir, file);
        if (!relative.equals(FILE)) {
          files.put(relative, new JsonObject().put("path", relative).put("size", Files.size(file))
              .put("sha256", sha256(file)));
        }
      }
    }
    return new JsonArray(new ArrayList<>(files.values()));
  }

  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  public static BackupManifest read(Path backupDir) throws IOException {
    Path file = backupDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(backupDir + " has no " + FILE + ": it is not a backup, or an incomplete one");
    }
    return new BackupManifest(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
  }

  void write(Path backupDir) throws IOException {
    Files.writeString(backupDir.resolve(FILE), json.encodePrettily(), StandardCharsets.UTF_8);
  }

  public String indexGeneration() {
    return json.getString("indexGeneration");
  }

  /** What does not match: files missing, of another size or checksum, or paths leaving the backup. Empty when sound. */
  public List<String> problems(Path backupDir) throws IOException {
    List<String> problems = new ArrayList<>();
    JsonArray files = json.getJsonArray("files", new JsonArray());
    if (files.stream().noneMatch(f -> DATABASE.equals(((JsonObject) f).getString("path")))) {
      problems.add("the manifest lists no database");
    }
    Path root = backupDir.toAbsolutePath().normalize();
    for (Object o : files) {
      JsonObject entry = (JsonObject) o;
      String path = entry.getString("path", "");
      Path file = root.resolve(path).normalize();
      if (path.isEmpty() || !file.startsWith(root)) {
        problems.add(path + ": not inside the backup");
      } else if (!Files.isRegularFile(file)) {
        problems.add(path + ": missing");
      } else if (Files.size(file) != entry.getLong("size", -1L) || !sha256(file).equals(entry.getString("sha256"))) {
        problems.add(path + ": checksum does not match");
      }
    }
    return problems;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
