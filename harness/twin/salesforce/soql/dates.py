"""SOQL date literals (TODAY, LAST_N_DAYS:30, THIS_FISCAL_QUARTER...) as [start, end) day ranges.

A comparison with a date literal compares with its range: `= X` means inside it, `< X` before its start,
`> X` after its end, `<=` before its end, `>=` from its start. Weeks start on Sunday (the en_US locale).
"""

from __future__ import annotations

from datetime import date, timedelta

from .. import exceptions as err


def _month_start(day: date, shift: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


def _quarter_start(day: date, shift: int = 0, first_month: int = 1) -> date:
    offset = (day.month - first_month) % 3
    return _month_start(_month_start(day, -offset), shift * 3)


def _fiscal_year_start(day: date, first_month: int, shift: int = 0) -> date:
    year = day.year if day.month >= first_month else day.year - 1
    return date(year + shift, first_month, 1)


def _week_start(day: date, shift: int = 0) -> date:
    return day - timedelta(days=(day.weekday() + 1) % 7) + timedelta(weeks=shift)


def literal_range(name: str, n: int | None, today: date, fiscal_month: int = 1) -> tuple[date, date]:
    """The [start, end) range of days a date literal stands for."""
    day = timedelta(days=1)
    fixed = {
        "YESTERDAY": (today - day, today), "TODAY": (today, today + day), "TOMORROW": (today + day, today + 2 * day),
        "LAST_WEEK": (_week_start(today, -1), _week_start(today)), "THIS_WEEK": (_week_start(today), _week_start(today, 1)),
        "NEXT_WEEK": (_week_start(today, 1), _week_start(today, 2)),
        "LAST_MONTH": (_month_start(today, -1), _month_start(today)),
        "THIS_MONTH": (_month_start(today), _month_start(today, 1)),
        "NEXT_MONTH": (_month_start(today, 1), _month_start(today, 2)),
        "LAST_90_DAYS": (today - 90 * day, today + day), "NEXT_90_DAYS": (today + day, today + 91 * day),
        "THIS_QUARTER": (_quarter_start(today), _quarter_start(today, 1)),
        "LAST_QUARTER": (_quarter_start(today, -1), _quarter_start(today)),
        "NEXT_QUARTER": (_quarter_start(today, 1), _quarter_start(today, 2)),
        "THIS_YEAR": (date(today.year, 1, 1), date(today.year + 1, 1, 1)),
        "LAST_YEAR": (date(today.year - 1, 1, 1), date(today.year, 1, 1)),
        "NEXT_YEAR": (date(today.year + 1, 1, 1), date(today.year + 2, 1, 1)),
        "THIS_FISCAL_QUARTER": (_quarter_start(today, 0, fiscal_month), _quarter_start(today, 1, fiscal_month)),
        "LAST_FISCAL_QUARTER": (_quarter_start(today, -1, fiscal_month), _quarter_start(today, 0, fiscal_month)),
        "NEXT_FISCAL_QUARTER": (_quarter_start(today, 1, fiscal_month), _quarter_start(today, 2, fiscal_month)),
        "THIS_FISCAL_YEAR": (_fiscal_year_start(today, fiscal_month), _fiscal_year_start(today, fiscal_month, 1)),
        "LAST_FISCAL_YEAR": (_fiscal_year_start(today, fiscal_month, -1), _fiscal_year_start(today, fiscal_month)),
        "NEXT_FISCAL_YEAR": (_fiscal_year_start(today, fiscal_month, 1), _fiscal_year_start(today, fiscal_month, 2)),
    }
    if n is None:
        if name not in fixed:
            raise err.MalformedQuery(f"unknown date literal {name}")
        return fixed[name]
    if n < 0:
        raise err.MalformedQuery(f"{name}:{n}: the number must not be negative")
    unit = name.split("_")[-1] if not name.endswith("_AGO") else name.split("_")[1]
    if name.startswith("LAST_N_"):
        start = {"DAYS": today - n * day, "WEEKS": _week_start(today, -n), "MONTHS": _month_start(today, -n),
                 "QUARTERS": _quarter_start(today, -n), "YEARS": date(today.year - n, 1, 1)}[unit]
        end = today + day if unit == "DAYS" else {"WEEKS": _week_start(today), "MONTHS": _month_start(today),
                                                   "QUARTERS": _quarter_start(today),
                                                   "YEARS": date(today.year, 1, 1)}[unit]
        return start, end
    if name.startswith("NEXT_N_"):
        if unit == "DAYS":
            return today + day, today + (n + 1) * day
        start = {"WEEKS": _week_start(today, 1), "MONTHS": _month_start(today, 1), "QUARTERS": _quarter_start(today, 1),
                 "YEARS": date(today.year + 1, 1, 1)}[unit]
        end = {"WEEKS": _week_start(today, n + 1), "MONTHS": _month_start(today, n + 1),
               "QUARTERS": _quarter_start(today, n + 1), "YEARS": date(today.year + n + 1, 1, 1)}[unit]
        return start, end
    # N_DAYS_AGO:n and friends: the single unit n units ago.
    if unit == "DAYS":
        return today - n * day, today - (n - 1) * day
    start = {"WEEKS": _week_start(today, -n), "MONTHS": _month_start(today, -n), "QUARTERS": _quarter_start(today, -n),
             "YEARS": date(today.year - n, 1, 1)}[unit]
    end = {"WEEKS": _week_start(today, -n + 1), "MONTHS": _month_start(today, -n + 1),
           "QUARTERS": _quarter_start(today, -n + 1), "YEARS": date(today.year - n + 1, 1, 1)}[unit]
    return start, end
