package cn.legalkoi.tickets;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The holidays every citizen has by 《全国年节及纪念日放假办法》 (revised 2024), for a year the calendar file
 * lacks: 元旦 January 1; 春节 four days from 除夕 through 正月初三; 清明 the day of the solar term; 劳动节 May 1–2;
 * 端午 五月初五; 中秋 八月十五; 国庆节 October 1–3. No 调休: the State Council decides those each year, so weekends
 * stay rest days and a holiday on a weekend is not made up.
 */
final class StatutoryHolidays {
  static final String SOURCE = "《全国年节及纪念日放假办法》（2024年修订）推算，未含调休";

  private StatutoryHolidays() {
  }

  static Coverage coverage(int year) {
    return FestivalDates.of(year).isPresent() ? Coverage.STATUTORY_FALLBACK : Coverage.FIXED_DATES_ONLY;
  }

  static HolidayYear of(int year) {
    Map<LocalDate, String> days = new LinkedHashMap<>();
    days.put(LocalDate.of(year, 1, 1), "元旦");
    FestivalDates.of(year).ifPresent(f -> {
      for (int i = -1; i <= 2; i++) {
        days.put(f.springFestival.plusDays(i), "春节");
      }
      days.put(f.qingming, "清明节");
      days.put(f.dragonBoat, "端午节");
      days.put(f.midAutumn, "中秋节");
    });
    days.put(LocalDate.of(year, 5, 1), "劳动节");
    days.put(LocalDate.of(year, 5, 2), "劳动节");
    for (int d = 1; d <= 3; d++) {
      // 中秋 can fall on 10-01 (2020): the day is one holiday, named for 国庆
      days.put(LocalDate.of(year, 10, d), "国庆节");
    }
    return HolidayYear.of(year, SOURCE, days);
  }
}
