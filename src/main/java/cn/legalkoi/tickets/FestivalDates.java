package cn.legalkoi.tickets;

import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Gregorian dates of the festivals whose day moves from year to year: 春节 (正月初一), 清明 (the solar term,
 * the sun at 15° ecliptic longitude, Beijing time), 端午 (五月初五) and 中秋 (八月十五), for 2020–2049.
 *
 * <p>A table rather than a computation: ICU4J 77.1's {@code ChineseCalendar} puts 正月初一 of 2027 on February 7
 * and of 2030 on February 2, a day off both times (new moons minutes before midnight in China, ICU-23274), and the
 * widely copied 1900–2100 month-length table has 2033's leap month wrong. Each row was derived from both, the
 * disagreements settled by the published dates (春节 2027-02-06 and 2030-02-03; 中秋 2033-09-08 with the leap
 * month after the eleventh month, as the Hong Kong Observatory has it); 清明 from the sun's apparent longitude
 * (Meeus, <i>Astronomical Algorithms</i>, ch. 25), which agrees with the 寿星 formula in every year here. The
 * years 2025 and 2026 agree with the State Council's holiday notices.
 */
final class FestivalDates {
  static final int FIRST_YEAR = 2020;
  static final int LAST_YEAR = 2049;

  /** Year, 春节, 清明, 端午, 中秋. */
  private static final String[] ROWS = {
      "2020 01-25 04-04 06-25 10-01",
      "2021 02-12 04-04 06-14 09-21",
      "2022 02-01 04-05 06-03 09-10",
      "2023 01-22 04-05 06-22 09-29",
      "2024 02-10 04-04 06-10 09-17",
      "2025 01-29 04-04 05-31 10-06",
      "2026 02-17 04-05 06-19 09-25",
      "2027 02-06 04-05 06-09 09-15",
      "2028 01-26 04-04 05-28 10-03",
      "2029 02-13 04-04 06-16 09-22",
      "2030 02-03 04-05 06-05 09-12",
      "2031 01-23 04-05 06-24 10-01",
      "2032 02-11 04-04 06-12 09-19",
      "2033 01-31 04-04 06-01 09-08",
      "2034 02-19 04-05 06-20 09-27",
      "2035 02-08 04-05 06-10 09-16",
      "2036 01-28 04-04 05-30 10-04",
      "2037 02-15 04-04 06-18 09-24",
      "2038 02-04 04-05 06-07 09-13",
      "2039 01-24 04-05 05-27 10-02",
      "2040 02-12 04-04 06-14 09-20",
      "2041 02-01 04-04 06-03 09-10",
      "2042 01-22 04-04 06-22 09-28",
      "2043 02-10 04-05 06-11 09-17",
      "2044 01-30 04-04 05-31 10-05",
      "2045 02-17 04-04 06-19 09-25",
      "2046 02-06 04-04 06-08 09-15",
      "2047 01-26 04-05 05-29 10-04",
      "2048 02-14 04-04 06-15 09-22",
      "2049 02-02 04-04 06-04 09-11",
  };

  private static final Map<Integer, FestivalDates> BY_YEAR = parse();

  final LocalDate springFestival;
  final LocalDate qingming;
  final LocalDate dragonBoat;
  final LocalDate midAutumn;

  private FestivalDates(LocalDate springFestival, LocalDate qingming, LocalDate dragonBoat, LocalDate midAutumn) {
    this.springFestival = springFestival;
    this.qingming = qingming;
    this.dragonBoat = dragonBoat;
    this.midAutumn = midAutumn;
  }

  /** The festivals of {@code year}, or empty outside the table. */
  static Optional<FestivalDates> of(int year) {
    return Optional.ofNullable(BY_YEAR.get(year));
  }

  private static Map<Integer, FestivalDates> parse() {
    Map<Integer, FestivalDates> years = new TreeMap<>();
    for (String row : ROWS) {
      String[] f = row.split(" ");
      int year = Integer.parseInt(f[0]);
      years.put(year, new FestivalDates(day(year, f[1]), day(year, f[2]), day(year, f[3]), day(year, f[4])));
    }
    return Map.copyOf(years);
  }

  private static LocalDate day(int year, String monthDay) {
    return MonthDay.parse("--" + monthDay).atYear(year);
  }
}
