package cn.legalkoi.semantic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Passage vectors by content hash in an SQLite file beside the index, so a reindex embeds only text that
 * changed. Used only from the single reindex thread. Blocking.
 */
public final class EmbeddingCache implements AutoCloseable {
  private static final int BATCH = 500;
  private final Connection connection;

  public EmbeddingCache(Path file) throws SQLException, java.io.IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, vector BLOB NOT NULL)");
    }
  }

  /** The key of a text: the model and the text as the model sees it. */
  public static String hash(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((Embedder.MODEL + "\n").getBytes(StandardCharsets.UTF_8));
      String clipped = text.length() <= Embedder.MAX_CHARS ? text : text.substring(0, Embedder.MAX_CHARS);
      return HexFormat.of().formatHex(digest.digest(clipped.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Map<String, float[]> getAll(Collection<String> hashes) throws SQLException {
    Map<String, float[]> found = new HashMap<>();
    List<String> all = List.copyOf(hashes);
    for (int from = 0; from < all.size(); from += BATCH) {
      List<String> part = all.subList(from, Math.min(all.size(), from + BATCH));
      String sql = "SELECT hash, vector FROM vectors WHERE hash IN (" + "?,".repeat(part.size() - 1) + "?)";
      try (PreparedStatement st = connection.prepareStatement(sql)) {
        for (int i = 0; i < part.size(); i++) {
          st.setString(i + 1, part.get(i));
        }
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            found.put(rs.getString(1), decode(rs.getBytes(2)));
          }
        }
      }
    }
    return found;
  }

  public void putAll(Map<String, float[]> vectors) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (PreparedStatement st = connection.prepareStatement("INSERT OR REPLACE INTO vectors(hash, vector) VALUES (?, ?)")) {
      for (Map.Entry<String, float[]> e : vectors.entrySet()) {
        st.setString(1, e.getKey());
        st.setBytes(2, encode(e.getValue()));
        st.addBatch();
      }
      st.executeBatch();
      connection.commit();
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  static byte[] encode(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(vector);
    return buffer.array();
  }

  static float[] decode(byte[] bytes) {
    float[] vector = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
