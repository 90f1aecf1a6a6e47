package cn.legalkoi.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives the HTTP service with wrk, a lean native load generator, cycling through the questions. */
final class Wrk {
  private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$",
      Pattern.MULTILINE);
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  record Result(double p50, double p99, double requestsPerSecond) {
  }

  private Wrk() {
  }

  /** A Lua script that sends each question as a search, in turn, on every connection. */
  static Path script(Path dir, List<String> questions) throws IOException {
    StringBuilder lua = new StringBuilder("local paths = {\n");
    for (String q : questions) {
      lua.append("  \"/api/v1/search?q=").append(URLEncoder.encode(q, StandardCharsets.UTF_8)).append("\",\n");
    }
    lua.append("}\nlocal i = math.random(#paths)\nrequest = function()\n  i = i % #paths + 1\n"
        + "  return wrk.format(\"GET\", paths[i])\nend\n");
    Path file = dir.resolve("questions.lua");
    Files.writeString(file, lua, StandardCharsets.UTF_8);
    return file;
  }

  static Result run(String base, Path script, int threads, int connections, int seconds) throws Exception {
    Process p = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency",
        "-s", script.toString(), base).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + out);
    }
    Matcher errors = ERRORS.matcher(out);
    if (errors.find()) {
      throw new IllegalStateException("searches failed during the benchmark:\n" + out);
    }
    double p50 = -1;
    double p99 = -1;
    Matcher m = PERCENTILE.matcher(out);
    while (m.find()) {
      double value = Double.parseDouble(m.group(2)) * ("us".equals(m.group(3)) ? 0.001 : "s".equals(m.group(3)) ? 1000 : 1);
      if ("50".equals(m.group(1))) {
        p50 = value;
      } else {
        p99 = value;
      }
    }
    Matcher rate = RATE.matcher(out);
    if (p50 < 0 || p99 < 0 || !rate.find()) {
      throw new IllegalStateException("cannot read wrk's output:\n" + out);
    }
    return new Result(p50, p99, Double.parseDouble(rate.group(1)));
  }
}
