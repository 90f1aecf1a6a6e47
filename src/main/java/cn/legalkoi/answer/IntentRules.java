package cn.legalkoi.answer;

import cn.legalkoi.knowledge.TextNormalizer;
import java.util.regex.Pattern;

/**
 * Reads whether a message asks for a person, describes the owner's own complex situation, or is chatter.
 * A general question on a heavy subject ("行政诉讼的起诉期限是多久") is a question, not an escalation: it gets
 * an answer with the offer of an adviser. The patterns were written against the labelled set in
 * {@code src/test/resources/quality/questions.tsv}.
 */
public final class IntentRules {
  /** The owner asks for a human. */
  private static final Pattern ASKS_FOR_PERSON = Pattern.compile(
      "人工|真人|转个?人|找.{0,3}律师|请.{0,3}律师|律师.{0,6}(聊|谈|帮|陪)|顾问.{0,8}(回|联系|电话|帮|当面|谈)"
          + "|(回|打)个?电话|当面(谈|聊|咨询)|来.{0,6}一趟|派.{0,3}(人|律师)|陪我|安排.{0,3}人|联系我"
          + "|帮我(写.{0,4}(状|书|申请|材料|合同)|出面|打官司|看看|出出)"
          + "|负责的人|找人(帮|出面)|有没有人能帮|能不能帮我|求帮|约一下|预约");
  /** The owner is already inside proceedings, or facing criminal exposure. */
  private static final Pattern IN_PROCEEDINGS = Pattern.compile(
      "开庭|传票|答辩|应诉|一审|二审|(起诉|告)了?我|被.{0,10}(起诉|告了)|把我.{0,6}告|打.{0,3}官司|强制执行|被执行人"
          + "|(债主|对方|供应商|客户|员工|工人|家属|他们?).{0,6}(起诉|告|仲裁)"
          + "|做笔录|问话|谈话|移送公安|报警|被抓|判刑|坐牢|涉嫌|拘留|稽查|追责|调查|上门|堵");
  /** Assets seized or frozen. */
  private static final Pattern ASSETS_TAKEN = Pattern.compile("冻结|查封|扣押|扣车|拉走|拿走|抢走|没收|抽贷");
  /** Large sums or heavy penalties. */
  private static final Pattern LARGE_STAKES = Pattern.compile(
      "\\d{2,}万|[一二两三四五六七八九十几百千]+十?多?万|上百万|停产|停业|拆|吊销");
  /** The owner disputes or is being pressed. */
  private static final Pattern DISPUTE = Pattern.compile("不服|冤|争|告|赔|要我|太重|不给|拖欠|欠");
  /** Harm to people, or several parties at odds. */
  private static final Pattern HARM_OR_MANY = Pattern.compile(
      "死|没了|受伤|住院|伤亡|断|中毒|着火|爆炸|泄漏|闹翻|几方|多方|好几|三家|[二三四五六七八九十]+多个|另外两个|一起去");
  /** A concrete, current case of the owner's own rather than a general question. */
  private static final Pattern ONGOING = Pattern.compile("已经|昨晚|昨天|前天|上周|下周|明天|刚刚|刚才|今天上午");
  /** A heavy penalty named with its amount. */
  private static final Pattern HEAVY_FINE = Pattern.compile("罚.{0,8}(\\d{2,}|[一二两三四五六七八九十几百千]+十?多?)万|(\\d{2,}|[几十百]+)万.{0,4}罚");
  /** Messages with no question in them. */
  private static final Pattern CHATTER = Pattern.compile(
      "^(你好|您好|哈喽|嗨|hi|hello|在吗|在不在|早上好|早安|中午好|下午好|晚上好|晚安|谢谢|多谢|感谢|谢了|辛苦|再见|拜拜"
          + "|好的|好滴|收到|知道了|明白|嗯|哦|哈|测试|ok|👍|你是谁|你叫|你是机器人|你真|你会|你都能|你能干|讲个|帮我写首"
          + "|今天|明天|吃饭|最近心情|推荐个|衢州有啥好玩)",
      Pattern.CASE_INSENSITIVE);
  /** Words that make a message a legal or business question rather than chatter. */
  private static final Pattern LEGAL_WORDS = Pattern.compile(
      "法|律|罚|违|规|证|照|合同|公司|企业|员工|工人|工资|社保|保险|税|赔|诉|告|权|责任|登记|许可|执法|检查|信用|失信|商标"
          + "|专利|广告|食品|安全|消防|环保|排污|注销|股|债|欠|钱|房|继承|离婚|户口|签证|驾|事故|征信|网贷|彩礼|抚养|遗嘱"
          + "|医院|宅基地|邻居|判|防卫|补偿|辞退|加班|年报|执照|老板|营业|经营|申请|办理|手续|部门|投诉|举报|学校|打|征信");

  private IntentRules() {
  }

  public static Intent classify(String message) {
    String text = TextNormalizer.normalize(message).strip().toLowerCase(java.util.Locale.ROOT);
    if (ASKS_FOR_PERSON.matcher(text).find() || describesOwnComplexCase(text)) {
      return Intent.ESCALATE;
    }
    if (isChatter(text)) {
      return Intent.SMALLTALK;
    }
    return Intent.QUESTION;
  }

  /** True when the message asks for a person rather than describing a case. */
  public static boolean asksForPerson(String message) {
    return ASKS_FOR_PERSON.matcher(TextNormalizer.normalize(message).strip().toLowerCase(java.util.Locale.ROOT)).find();
  }

  /** True for text that names no legal or business matter at all. */
  public static boolean hasNoLegalWords(String message) {
    return !LEGAL_WORDS.matcher(TextNormalizer.normalize(message)).find();
  }

  private static boolean describesOwnComplexCase(String text) {
    int signals = 0;
    if (IN_PROCEEDINGS.matcher(text).find()) {
      signals += 2;
    }
    if (ASSETS_TAKEN.matcher(text).find()) {
      signals += 2;
    }
    if (LARGE_STAKES.matcher(text).find()) {
      signals++;
    }
    if (DISPUTE.matcher(text).find()) {
      signals++;
    }
    if (HARM_OR_MANY.matcher(text).find()) {
      signals++;
    }
    if (ONGOING.matcher(text).find()) {
      signals++;
    }
    if (HEAVY_FINE.matcher(text).find()) {
      signals++;
    }
    return signals >= 2;
  }

  private static boolean isChatter(String text) {
    return text.length() <= 20 && CHATTER.matcher(text).find() && hasNoLegalWords(text);
  }
}
