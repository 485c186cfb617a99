"""Chinese date formats where Django's own differ from the way the office writes
dates: a month and day without a leading zero (3月8日, not 03月8日)."""

MONTH_DAY_FORMAT = "n月j日"
