package cn.legalkoi.gaps;

import java.util.Set;

/**
 * One owner question that was not met, as it was asked.
 *
 * @param key its inbound message ({@code channel/message id}): a question clarified and later rated 不满意 is one
 *     question with two outcomes
 * @param askedAt when the owner sent it (epoch millis)
 */
record UnmetQuestion(String key, String text, long askedAt, Set<Outcome> outcomes) {
}
