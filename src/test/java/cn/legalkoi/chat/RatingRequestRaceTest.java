package cn.legalkoi.chat;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.legalkoi.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A ticket resolved while one of its owner's messages is being answered keeps its request for a rating. */
@ExtendWith(VertxExtension.class)
class RatingRequestRaceTest {
  @Test
  @DisplayName("an answer worked out before a rating request was made does not erase that request; one that used it"
      + " does")
  void ratingRequestSurvivesAnAnswerInFlight(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db"), Conversations.migrations())) {
      InboundMessage first = new InboundMessage(Channel.WEB, "u/1", "u", "u", InboundMessage.TEXT, "还有一个问题", null,
          new JsonObject());
      long conversation = await(store.run(c -> ChatStore.accept(c, first, 1).orElseThrow()));
      ChatStore.State read = await(store.run(c -> ChatStore.state(c, conversation)));
      // the adviser resolves meanwhile: the conversation now waits for a rating of ticket 7
      await(store.run(c -> {
        OwnerChannel.askForRating(c, conversation, 7);
        return null;
      }));
      await(store.run(c -> {
        ChatStore.recordOutcome(c, conversation, first, "answered", read.ratingTicketId(), read,
            Optional.of(new Reply("answer", "答复", new JsonObject())), 2);
        return null;
      }));
      assertEquals(7, await(store.run(c -> ChatStore.state(c, conversation))).ratingTicketId());

      // the owner's "5" was read with the request, and its outcome clears it
      InboundMessage five = new InboundMessage(Channel.WEB, "u/2", "u", "u", InboundMessage.TEXT, "5", null,
          new JsonObject());
      await(store.run(c -> ChatStore.accept(c, five, 3)));
      ChatStore.State withRequest = await(store.run(c -> ChatStore.state(c, conversation)));
      ChatStore.State cleared = new ChatStore.State(List.of(), null, 0, 0, false, 0);
      await(store.run(c -> {
        ChatStore.recordOutcome(c, conversation, five, "answered", withRequest.ratingTicketId(), cleared,
            Optional.empty(), 4);
        return null;
      }));
      assertEquals(0, await(store.run(c -> ChatStore.state(c, conversation))).ratingTicketId());
    }
  }
}
