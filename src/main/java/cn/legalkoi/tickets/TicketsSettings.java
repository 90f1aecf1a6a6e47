package cn.legalkoi.tickets;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How tickets are routed and kept: the departments the config seeds at first start, the map from a guidance
 * category to the department that handles it, the department for a ticket with no category, and how long an owner's
 * contact details are kept after their ticket is resolved (told to the owner when they are asked for them), and the
 * largest picture or file of an owner that is fetched for the adviser ({@code maxFileBytes}).
 */
public record TicketsSettings(List<String> departments, Map<String, String> categoryDepartments,
    String defaultDepartment, int contactRetentionDays, long maxFileBytes) {
  public static final long DEFAULT_MAX_FILE_BYTES = 20L * 1024 * 1024;

  public static final List<String> DEFAULT_DEPARTMENTS = List.of("综合执法", "市场监管", "生态环境", "交通运输",
      "卫生健康", "应急管理");

  public TicketsSettings {
    departments = List.copyOf(departments);
    categoryDepartments = Map.copyOf(categoryDepartments);
    if (departments.isEmpty()) {
      throw new IllegalArgumentException("departments: at least one department is needed");
    }
    if (!departments.contains(defaultDepartment)) {
      throw new IllegalArgumentException("tickets.defaultDepartment '" + defaultDepartment
          + "' is not one of the departments " + departments);
    }
    for (Map.Entry<String, String> e : categoryDepartments.entrySet()) {
      if (!departments.contains(e.getValue())) {
        throw new IllegalArgumentException("tickets.categoryDepartments: '" + e.getKey() + "' goes to '"
            + e.getValue() + "', which is not one of the departments " + departments);
      }
    }
    if (contactRetentionDays < 1) {
      throw new IllegalArgumentException("tickets.contactRetentionDays must be at least 1");
    }
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("tickets.maxFileBytes must be at least 1");
    }
  }

  public static TicketsSettings defaults() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("执法与处罚", "综合执法");
    map.put("监管与检查", "综合执法");
    map.put("救济途径", "综合执法");
    map.put("涉企服务", "综合执法");
    map.put("营商环境", "综合执法");
    map.put("合规建设", "综合执法");
    map.put("合同与纠纷", "综合执法");
    map.put("劳动用工", "综合执法");
    map.put("信用", "市场监管");
    map.put("登记与年报", "市场监管");
    map.put("公司治理", "市场监管");
    map.put("广告与消费", "市场监管");
    map.put("食品安全", "市场监管");
    map.put("数据与知识产权", "市场监管");
    map.put("生态环境", "生态环境");
    map.put("安全生产", "应急管理");
    return new TicketsSettings(DEFAULT_DEPARTMENTS, map, "综合执法", 180, DEFAULT_MAX_FILE_BYTES);
  }

  /**
   * From the config's top-level {@code departments} array and its {@code tickets} object
   * ({@code categoryDepartments}, {@code defaultDepartment}, {@code contactRetentionDays}, {@code maxFileBytes}); keys
   * left out keep the defaults.
   */
  public static TicketsSettings fromJson(JsonArray departments, JsonObject tickets) {
    TicketsSettings d = defaults();
    List<String> names = departments == null ? d.departments()
        : departments.stream().map(String::valueOf).map(String::strip).toList();
    Map<String, String> map = d.categoryDepartments();
    if (tickets.containsKey("categoryDepartments")) {
      Map<String, String> configured = new LinkedHashMap<>();
      tickets.getJsonObject("categoryDepartments").forEach(e -> configured.put(e.getKey(), String.valueOf(e.getValue())));
      map = configured;
    } else if (departments != null) {
      // the default map only for the departments the config kept
      map = new LinkedHashMap<>(map);
      map.values().removeIf(v -> !names.contains(v));
    }
    String fallback = tickets.getString("defaultDepartment", names.contains(d.defaultDepartment())
        ? d.defaultDepartment() : names.isEmpty() ? "" : names.get(0));
    return new TicketsSettings(names, map, fallback, tickets.getInteger("contactRetentionDays",
        d.contactRetentionDays()), tickets.getLong("maxFileBytes", d.maxFileBytes()));
  }

  /** The department a ticket of this guidance category goes to. */
  public String departmentFor(String category) {
    return category == null ? defaultDepartment : categoryDepartments.getOrDefault(category, defaultDepartment);
  }
}
