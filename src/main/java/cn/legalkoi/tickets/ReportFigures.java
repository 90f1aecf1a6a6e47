package cn.legalkoi.tickets;

import java.util.ArrayList;
import java.util.List;

/**
 * The 315 figures of one department, or of all of them, for one month: the tickets it held, each milestone's
 * tally, the breaches charged to it and the owners' ratings. Filled by {@link MonthlyReport}.
 */
final class ReportFigures {
  static final String RESPOND = "respond";
  static final String SETTLE = "settle";
  static final String FEEDBACK = "feedback";

  private final String department;
  private int tickets;
  private int simple;
  private int complex;
  private final MilestoneTally respond = new MilestoneTally();
  private final MilestoneTally settle = new MilestoneTally();
  private final MilestoneTally feedback = new MilestoneTally();
  private final List<MonthlyReport.Breach> breaches = new ArrayList<>();
  /** ratings[n]: tickets rated n (1–5); ratings[0] is unused. */
  private final int[] ratings = new int[6];

  ReportFigures(String department) {
    this.department = department;
  }

  /** A ticket this department holds; {@code rating} 0 when the owner has not rated it. */
  void countTicket(boolean isComplex, int rating) {
    tickets++;
    if (isComplex) {
      complex++;
    } else {
      simple++;
    }
    if (rating >= 1 && rating <= 5) {
      ratings[rating]++;
    }
  }

  void countMilestone(String milestone, MilestoneTally.Outcome outcome) {
    tally(milestone).count(outcome);
  }

  void listBreach(MonthlyReport.Breach breach) {
    breaches.add(breach);
  }

  /** Adds another department's figures (for the total). */
  void add(ReportFigures other) {
    tickets += other.tickets;
    simple += other.simple;
    complex += other.complex;
    respond.add(other.respond);
    settle.add(other.settle);
    feedback.add(other.feedback);
    breaches.addAll(other.breaches);
    for (int i = 1; i <= 5; i++) {
      ratings[i] += other.ratings[i];
    }
  }

  /** The department's name; null for the total. */
  String department() {
    return department;
  }

  int tickets() {
    return tickets;
  }

  int simple() {
    return simple;
  }

  int complex() {
    return complex;
  }

  MilestoneTally tally(String milestone) {
    return switch (milestone) {
      case RESPOND -> respond;
      case SETTLE -> settle;
      case FEEDBACK -> feedback;
      default -> throw new IllegalArgumentException("no milestone " + milestone);
    };
  }

  /** Milestones neither met nor past their deadline. */
  int pending() {
    return respond.pending() + settle.pending() + feedback.pending();
  }

  /** Earliest deadline first. */
  List<MonthlyReport.Breach> breaches() {
    return breaches.stream().sorted(MonthlyReport.Breach.ORDER).toList();
  }

  int rated(int score) {
    return ratings[score];
  }

  int ratingCount() {
    int n = 0;
    for (int i = 1; i <= 5; i++) {
      n += ratings[i];
    }
    return n;
  }

  /** The mean rating to two places, or null when no ticket was rated. */
  Double ratingAverage() {
    int count = ratingCount();
    if (count == 0) {
      return null;
    }
    int sum = 0;
    for (int i = 1; i <= 5; i++) {
      sum += i * ratings[i];
    }
    return Math.round(sum * 100.0 / count) / 100.0;
  }
}
