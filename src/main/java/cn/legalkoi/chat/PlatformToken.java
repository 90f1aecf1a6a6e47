package cn.legalkoi.chat;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A platform's access token (WeCom access_token, DingTalk accessToken, Feishu tenant_access_token), shared by every
 * concurrent call: kept until shortly before it expires, fetched once however many calls wait for it, and replaced
 * once when the platform refuses it anyway. A failed fetch is not kept: the next call fetches again.
 */
public final class PlatformToken {
  private static final Logger LOG = LoggerFactory.getLogger(PlatformToken.class);
  /** A token is renewed this long before the platform says it expires (or at half its life, if that is sooner). */
  private static final long RENEW_BEFORE_SECONDS = 300;

  /** @param renewAt when to fetch a new one, epoch milliseconds */
  public record Token(String value, long renewAt) {
    /** A token fetched at {@code fetchedAt} (epoch ms) that the platform says lives {@code lifetimeSeconds}. */
    public static Token of(String value, long fetchedAt, long lifetimeSeconds) {
      long renewAfter = lifetimeSeconds - Math.min(RENEW_BEFORE_SECONDS, lifetimeSeconds / 2);
      return new Token(value, fetchedAt + renewAfter * 1000);
    }
  }

  private final String platform;
  private final Supplier<Future<Token>> fetch;
  private final Clock clock;
  private Future<Token> token;

  /**
   * @param platform named in the log when a token is refused
   * @param fetch asks the platform for a new token
   */
  public PlatformToken(String platform, Supplier<Future<Token>> fetch, Clock clock) {
    this.platform = platform;
    this.fetch = fetch;
    this.clock = clock;
  }

  /**
   * One call with the token; when it fails in a way {@code refused} recognises as the platform rejecting the token,
   * once more with a fresh one.
   */
  public <T> Future<T> call(Function<Token, Future<T>> call, Predicate<Throwable> refused) {
    return current().compose(used -> call.apply(used).recover(e -> {
      if (!refused.test(e)) {
        return Future.failedFuture(e);
      }
      LOG.info("{} refused the access token; fetching a new one", platform);
      return replacing(used).compose(call);
    }));
  }

  /** The token value last fetched, if any: for masking it in text that goes to logs. */
  public synchronized Optional<String> known() {
    return token != null && token.succeeded() ? Optional.of(token.result().value()) : Optional.empty();
  }

  /** The cached token while it is good, the fetch under way, or a new fetch. */
  synchronized Future<Token> current() {
    boolean usable = token != null && !token.failed()
        && (!token.isComplete() || clock.millis() < token.result().renewAt());
    if (!usable) {
      token = fetch.get();
    }
    return token;
  }

  /** A token other than the refused one: the one another call already fetched, or a new one. */
  synchronized Future<Token> replacing(Token refused) {
    boolean renewed = token != null && !token.failed()
        && (!token.isComplete() || !token.result().equals(refused));
    if (!renewed) {
      token = fetch.get();
    }
    return token;
  }
}
