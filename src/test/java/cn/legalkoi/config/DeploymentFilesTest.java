package cn.legalkoi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The files under deploy/ that the README tells an operator to copy stay in step with the service. */
class DeploymentFilesTest {
  @Test
  @DisplayName("deploy/application.json loads with its secrets from the environment, trusts only the local proxy"
      + " and turns every platform on")
  void exampleConfigLoads() throws Exception {
    Map<String, String> env = Map.of("LEGALKOI_WECOM_TOKEN", "token", "LEGALKOI_WECOM_AES_KEY",
        "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "LEGALKOI_WECOM_SECRET", "secret",
        "LEGALKOI_DINGTALK_APP_SECRET", "secret", "LEGALKOI_FEISHU_APP_SECRET", "secret",
        "LEGALKOI_FEISHU_VERIFICATION_TOKEN", "token", "LEGALKOI_FEISHU_ENCRYPT_KEY", "key");
    AppConfig config = new ConfigLoader(env).load(Path.of("deploy/application.json"), true);
    assertEquals(List.of("127.0.0.1", "::1"), config.http().trustedProxies());
    assertEquals("127.0.0.1", config.http().host(), "only the proxy reaches the service");
    assertEquals("127.0.0.1", config.metrics().host(), "metrics never leave the machine");
    assertTrue(config.publicBaseUrl().startsWith("https://"), "the platforms call only HTTPS addresses");
    assertTrue(config.channels().wecom().enabled(), "WeCom is on");
    assertTrue(config.channels().dingtalk().enabled() && config.channels().dingtalk().isStream(), "DingTalk streams");
    assertTrue(config.channels().feishu().enabled(), "Feishu is on");
  }

  @Test
  @DisplayName("the systemd unit starts the jar with the deploy config, in UTF-8, and gives the stop its grace")
  void systemdUnit() throws Exception {
    String unit = Files.readString(Path.of("deploy/legal-koi.service"), StandardCharsets.UTF_8);
    assertTrue(unit.contains("serve --config /etc/legal-koi/application.json"));
    assertTrue(unit.contains("-Dfile.encoding=UTF-8") && unit.contains("LANG=C.UTF-8"));
    // the service's own stop waits up to 20 s for acknowledged messages; systemd must wait longer before SIGKILL
    assertTrue(unit.contains("TimeoutStopSec=60"));
  }
}
