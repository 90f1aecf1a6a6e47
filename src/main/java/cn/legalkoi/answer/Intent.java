package cn.legalkoi.answer;

/** What a message asks of the service before any search: a person, a chat, or a legal answer. */
public enum Intent {
  /** The owner asks for a person, or describes their own complex situation. */
  ESCALATE,
  /** Greetings, thanks and chatter with no legal question in it. */
  SMALLTALK,
  /** Anything else: search the guidance. */
  QUESTION
}
