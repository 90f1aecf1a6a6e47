package cn.legalkoi.answer;

import cn.legalkoi.config.ServicePromise;
import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.knowledge.ArticleKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes replies as an owner reads them on a phone: the short answer, the legal basis, one line of
 * disclaimer, how to reach an adviser and the link to the full guidance. Each channel fits the result to its own
 * limit ({@link ReplyText#within}).
 */
public final class ReplyComposer {
  static final String DISCLAIMER = "以上为一般性解答，仅供参考，不构成正式法律意见。";
  static final String REACH_ADVISER = "需要顾问帮您看，请回复“人工”。";
  private static final int MAX_BASIS = 3;
  private static final Pattern CITATION = Pattern.compile("《([^》]+)》(.*)");

  private final String publicBaseUrl;
  private final ServicePromise promise;

  public ReplyComposer(String publicBaseUrl, ServicePromise promise) {
    this.promise = promise;
    this.publicBaseUrl = publicBaseUrl.endsWith("/")
        ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
  }

  public String guidanceUrl(String id) {
    return publicBaseUrl + "/guidance/" + id;
  }

  public ReplyText answer(GuidanceDocument doc, boolean heavySubject) {
    String basis = compactCitations(doc.basis().subList(0, Math.min(MAX_BASIS, doc.basis().size())));
    String adviser = heavySubject
        ? "如果是您自己正在处理的案件，建议回复“人工”，由顾问结合材料帮您分析。"
        : REACH_ADVISER;
    String head = "【" + doc.title() + "】\n";
    String tail = "\n\n法律依据：" + basis
        + "\n详细说明：" + guidanceUrl(doc.id())
        + "\n\n" + DISCLAIMER + adviser;
    return new ReplyText(head, doc.shortAnswer(), tail);
  }

  public String clarify(List<GuidanceDocument> topics) {
    StringBuilder text = new StringBuilder("您想问的是下面哪一个？\n");
    for (int i = 0; i < topics.size(); i++) {
      text.append(i + 1).append(". ").append(topics.get(i).title())
          .append("：").append(guidanceUrl(topics.get(i).id())).append('\n');
    }
    return text.append("可以点开看看，或者换个说法、说得具体些再问我。").append(REACH_ADVISER).toString();
  }

  /**
   * The handover, without promised times: those ({@link ServicePromise#fullText}) are told with the ticket's number
   * once the ticket exists.
   *
   * @param askedForPerson the owner asked for a person ("转人工"), rather than describing a complex case
   */
  public String escalate(boolean askedForPerson) {
    String opening = askedForPerson ? "好的，为您转给法治锦鲤顾问。" : "您这个情况需要顾问看了材料再判断，为您转给法治锦鲤顾问。";
    return opening + "方便的话，先把事情经过、哪个部门、什么时间简单说一下。";
  }

  public String smalltalk(boolean thanks) {
    String greeting = thanks ? "不客气，很高兴能帮上忙！" : "您好，我是法治锦鲤助手。";
    return greeting + "企业经营中的法律和合规问题都可以问我，比如“第一次违规能不能不罚款”“员工没签合同要赔钱吗”。"
        + "需要找顾问，请回复“人工”。";
  }

  public String help() {
    return "直接打字问我就行，比如“第一次违规能不能不罚款”“员工没签合同要赔钱吗”。"
        + "我会给出简要回答和法律依据；选项前的数字可以直接回复；需要顾问，请回复“人工”。";
  }

  public String thanksForRating() {
    return "收到，谢谢您的评价！还有问题可以接着问我，需要顾问请回复“人工”。";
  }

  /** A picture, voice message, file or sticker: what the bot can read, and that an adviser will see it. */
  public String unreadable() {
    return "我目前只能看懂文字，请用文字描述您的问题。图片和文件会保存下来，转给顾问时顾问可以看到。"
        + "需要顾问，请回复“人工”。";
  }

  /** Told once when an owner writes faster than the bot answers. */
  public String slowDown() {
    return "您发消息太快了，我先暂停自动回复一会儿。您的消息都已保存，顾问可以看到；需要顾问，请回复“人工”。";
  }

  /** A message longer than the bot reads: kept for an adviser. */
  public String tooLong(int maxChars) {
    return "您的消息太长了，我一次最多读" + maxChars + "个字。请把问题简短地说一下；原消息已保存，顾问可以看到。"
        + "需要顾问，请回复“人工”。";
  }

  /** A number that picks nothing: there is no numbered list to pick from, or the number is past its end. */
  public String nothingToPick() {
    return "没有找到对应的选项。请直接用文字描述您的问题，或回复“帮助”。";
  }

  public String noAnswer() {
    return "抱歉，这个问题我暂时答不准，怕误导您。可以换个说法再问，"
        + "或回复“人工”，由法治锦鲤顾问为您解答（" + promise.respondLine() + "）。";
  }

  /**
   * Citations as a reader on a phone wants them: the law named once with its articles, without the
   * 中华人民共和国 prefix. 《中华人民共和国劳动合同法》第十条, 《中华人民共和国劳动合同法》第八十二条 →
   * 《劳动合同法》第十条、第八十二条.
   */
  static String compactCitations(List<String> citations) {
    Map<String, List<String>> byLaw = new LinkedHashMap<>();
    for (String citation : citations) {
      Matcher m = CITATION.matcher(citation);
      if (m.matches()) {
        byLaw.computeIfAbsent(ArticleKey.shortLawName(m.group(1)), k -> new ArrayList<>()).add(m.group(2).strip());
      } else {
        byLaw.computeIfAbsent(citation, k -> new ArrayList<>());
      }
    }
    List<String> parts = new ArrayList<>();
    byLaw.forEach((law, articles) -> parts.add(articles.isEmpty() && !law.startsWith("《") ? law
        : articles.isEmpty() ? law : "《" + law + "》" + String.join("、", articles)));
    return String.join("；", parts);
  }
}
