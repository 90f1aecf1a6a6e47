package cn.legalkoi.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RobotAddressTest {
  @Test
  @DisplayName("every query value of a webhook address is masked")
  void masksAddress() {
    assertEquals("https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=***&sign=***",
        RobotAddress.masked("https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1&sign=x%2By"));
  }

  @Test
  @DisplayName("an error message loses the robot's token, its secret and any sign, URL-encoded or not")
  void scrubsText() {
    RobotAddress address = new RobotAddress("https://oapi.dingtalk.com/robot/send?access_token=tok%2Ben12345",
        "SECsecret+value");
    assertEquals("POST /robot/send?access_token=***&timestamp=1772416800000&sign=*** failed; *** *** ***",
        address.scrub("POST /robot/send?access_token=tok%2Ben12345&timestamp=1772416800000&sign=ab%2Fc%3D failed;"
            + " tok+en12345 SECsecret+value tok%2Ben12345"));
  }
}
