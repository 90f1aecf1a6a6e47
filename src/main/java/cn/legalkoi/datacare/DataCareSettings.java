package cn.legalkoi.datacare;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * How long owners' content and the audit log are kept, and where the admin's backups go.
 *
 * @param closedTicketDays a ticket resolved longer ago than this loses its content (the 315 counts stay)
 * @param auditDays audit log rows older than this are deleted; never below {@value #MIN_AUDIT_DAYS}
 *     (网络安全法第二十一条: at least six months)
 * @param backupDir where {@code POST /api/v1/admin/backup} writes, one directory per backup
 */
public record DataCareSettings(int closedTicketDays, int auditDays, Path backupDir) {
  public static final int MIN_AUDIT_DAYS = 183;

  public DataCareSettings {
    if (closedTicketDays < 1) {
      throw new IllegalArgumentException("retention.closedTicketDays must be at least 1");
    }
    if (auditDays < MIN_AUDIT_DAYS) {
      throw new IllegalArgumentException("retention.auditDays must be at least " + MIN_AUDIT_DAYS
          + " (the audit log is kept six months)");
    }
  }

  public static DataCareSettings defaults() {
    return new DataCareSettings(365, 190, Path.of("backups"));
  }

  /** Reads {@code "retention": {"closedTicketDays", "auditDays"}} and {@code "backup": {"dir"}}; absent keys default. */
  public static DataCareSettings fromJson(JsonObject root) {
    DataCareSettings d = defaults();
    JsonObject retention = root.getJsonObject("retention", new JsonObject());
    JsonObject backup = root.getJsonObject("backup", new JsonObject());
    return new DataCareSettings(retention.getInteger("closedTicketDays", d.closedTicketDays()),
        retention.getInteger("auditDays", d.auditDays()), Path.of(backup.getString("dir", d.backupDir().toString())));
  }
}
