package cn.legalkoi.store;

import java.util.List;

/**
 * One step of a module's schema. Each module (users, conversations, tickets …) owns its migrations, numbered
 * from 1; the store applies each once, in order, and records it in {@code schema_migrations}.
 *
 * @param module the owning module's name, e.g. "users"
 * @param version 1, 2, … within the module
 * @param statements DDL run in one transaction
 */
public record Migration(String module, int version, List<String> statements) {
  public static Migration of(String module, int version, String... statements) {
    return new Migration(module, version, List.of(statements));
  }
}
