"""Dates for --since, read strictly: git reads anything as some date, so garbage would
quietly scan nothing."""
from __future__ import annotations

import calendar
import email.utils
import re
from datetime import UTC, datetime, timedelta

from reposcrub.errors import ReposcrubError

_SINCE_FORMS = ("an ISO date or time (2024-01-31, 2024-01-31T10:00), a relative time (2.weeks.ago, "
                "'3 days ago', yesterday) or a unix time (@1700000000)")
_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
_MONTHS = {"month": 1, "year": 12}
_ISO_DAY = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})(?=$|[T ])")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def since_timestamp(text: str, now: datetime | None = None) -> int:
    """The unix time ``--since TEXT`` means, read strictly: git's approxidate reads anything,
    turning garbage into "now" (so nothing is scanned) and "2 weaks ago" into a date nobody
    meant. A date alone means its local midnight (git would take the time of day it is now).

    Raises:
        ReposcrubError: text is not a date in one of the forms the message lists, or is in
            the future.
    """
    now = now or datetime.now().astimezone()
    try:
        when = _absolute_time(text.strip()) or _relative_time(text.strip().lower(), now)
    except (ValueError, OverflowError, OSError) as exc:  # a date the calendar lacks: 2024-02-30
        raise ReposcrubError(f"--since {text!r} is not a valid date ({exc}): give {_SINCE_FORMS}") from None
    if when is None:
        raise ReposcrubError(f"--since {text!r} is not a date: give {_SINCE_FORMS}")
    if when > now:
        raise ReposcrubError(f"--since {text!r} is in the future ({when:%Y-%m-%d %H:%M}), "
                             "so no commit would be scanned: give a past date, such as 2.weeks.ago")
    return max(0, int(when.timestamp()))


def _absolute_time(text: str) -> datetime | None:
    """ISO 8601, RFC 2822 or git log's own format (Wed Jan 31 10:00:00 2024 +0100), @unix time."""
    if re.fullmatch(r"@[0-9]{1,12}|[0-9]{9,12}", text):
        return datetime.fromtimestamp(int(text.lstrip("@")), tz=UTC)
    iso = _ISO_DAY.sub(lambda m: f"{m[1]}-{int(m[2]):02}-{int(m[3]):02}", text, count=1)  # 2024/1/31
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        if _ISO_DAY.match(text):
            raise
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return when if when.tzinfo else when.astimezone()  # no zone: local time, as git reads it


def _relative_time(text: str, now: datetime) -> datetime | None:
    """git's relative forms: 2.weeks.ago, 3 days ago, 1 year 2 months ago, last week, now;
    today and yesterday mean the start of that day."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    named = {"now": now, "today": midnight, "yesterday": midnight - timedelta(days=1)}
    if text in named:
        return named[text]
    words = [w for w in re.split(r"[\s.,]+", text) if w]
    if words[-1:] == ["ago"]:
        words.pop()
    if not words or len(words) % 2:
        return None
    months, seconds = 0, 0
    for number, unit in zip(words[::2], words[1::2], strict=True):
        unit = unit.removesuffix("s")
        if not re.fullmatch(r"[0-9]{1,6}|an?|last", number) or unit not in _SECONDS.keys() | _MONTHS.keys():
            return None
        count = int(number) if number.isdigit() else 1
        seconds += count * _SECONDS.get(unit, 0)
        months += count * _MONTHS.get(unit, 0)
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    if year < _EPOCH.year or timedelta(seconds=seconds) > now - _EPOCH:
        return _EPOCH  # further back than any commit
    day = min(now.day, calendar.monthrange(year, month + 1)[1])  # 31 March, one month ago: 28 or 29 February
    return now.replace(year=year, month=month + 1, day=day) - timedelta(seconds=seconds)
