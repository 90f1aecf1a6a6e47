package cn.legalkoi.tickets;

/** Where a year's rest days come from, so the admin can be warned when the calendar file lacks a year. */
public enum Coverage {
  /** The calendar file lists the year's holidays and 调休 from the State Council notice. */
  FILE,
  /** Not in the file: the statutory holidays are computed, without 调休 (weekends are rest days). */
  STATUTORY_FALLBACK,
  /**
   * Not in the file and beyond the built-in table of lunar festivals: only 元旦, 劳动节, 国庆节 and weekends
   * are known.
   */
  FIXED_DATES_ONLY
}
