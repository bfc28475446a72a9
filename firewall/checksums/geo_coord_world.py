"""A decimal latitude/longitude pair anywhere on earth, in the forms people and generators write.

Accepted forms: ``-61.990138,90.454951``, ``45.35, 126.28333``, ``118.908154 21.400447`` (a space
between the numbers), ``21.400447°N, 118.908154°E`` (S and W make a number negative),
``北纬21.400447°，东经118.908154°`` (南纬 and 西经 likewise) and ``lat=21.400447&lng=118.908154``.
Each number has 1-3 integer digits and 1-15 decimals, or is written in degrees, minutes and
seconds (``39°54'26"N 116°23'29"E``, ``北纬39°54′26″``), which the pair gives as decimals. One
must be a latitude (at most 90 either way) and the other a longitude (at most 180), in either
order unless a label or hemisphere letter says which is which; 0,0 (a default value, not a place)
is rejected.

Unlike ``geo_coord`` (China's box, 3+ decimals, enough on its own) almost any pair of small
decimals passes here, so rules use this validator only where a key or cue word says the value is a
location, or where the text labels the numbers itself (北纬, ``lat=``).

>>> validate('21.400447°N, 118.908154°E')
'21.400447,118.908154'
>>> validate('lng=-73.9857&lat=40.7484')
'-73.9857,40.7484'
>>> is_valid('-61.990138,90.454951'), is_valid('45.35 126.28333'), is_valid('95.5,120.1')
(True, True, False)
"""

from __future__ import annotations

import re

from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, ValidationError, passes

__all__ = ["compact", "is_valid", "validate"]

LATITUDE_LIMIT = 90.0
LONGITUDE_LIMIT = 180.0
_LATITUDE, _LONGITUDE = "lat", "lng"


def _coordinate(name: str) -> str:
    # degrees, minutes and seconds: 39°54'26", 39°54′26.5″, 39°54.436' (decimal minutes)
    dms = (
        rf"(?P<{name}_degrees>[0-9]{{1,3}})°(?P<{name}_minutes>[0-9]{{1,2}}(?:\.[0-9]{{1,6}})?)[′']"
        rf"(?:(?P<{name}_seconds>[0-9]{{1,2}}(?:\.[0-9]{{1,6}})?)(?:[″\"]|'')?)?"
    )
    return (
        rf"(?:(?P<{name}_label>[北南]纬|[东西]经|lat(?:itude)?=|lng=|lon(?:gitude)?=) ?)?"
        rf"(?:(?P<{name}_number>-?[0-9]{{1,3}}\.[0-9]{{1,15}})°?|{dms})"
        rf" ?(?P<{name}_hemisphere>[NSEW])?"
    )


def _degrees(match: re.Match[str], name: str) -> str:
    """The number as written, or degrees-minutes-seconds as a decimal (six places: ~0.1 m)."""
    number = match.group(f"{name}_number")
    if number is not None:
        return number
    minutes, seconds = float(match.group(f"{name}_minutes")), float(match.group(f"{name}_seconds") or 0)
    if minutes >= 60 or seconds >= 60:
        raise InvalidComponent("minutes and seconds are below 60")
    return f"{int(match.group(f'{name}_degrees')) + minutes / 60 + seconds / 3600:.6f}"


# A comma, full-width comma, '&' or a space between the numbers; none only before a label (北纬..东经..).
_PAIR = re.compile(
    _coordinate("first") + r"(?: ?[,，&] ?| |(?=[东西北南]|l))" + _coordinate("second"),
    re.IGNORECASE,
)
_LABEL_AXIS = {"北纬": _LATITUDE, "南纬": _LATITUDE, "东经": _LONGITUDE, "西经": _LONGITUDE}
_NEGATIVE_LABELS = ("南纬", "西经")
_HEMISPHERE_AXIS = {"N": _LATITUDE, "S": _LATITUDE, "E": _LONGITUDE, "W": _LONGITUDE}


def _signed(match: re.Match[str], name: str) -> tuple[str, str | None]:
    """The number as a signed decimal string and the axis its label or letter names (or None)."""
    number = _degrees(match, name)
    label = (match.group(f"{name}_label") or "").lower()
    hemisphere = (match.group(f"{name}_hemisphere") or "").upper()
    axis = _LABEL_AXIS.get(label) or (_LATITUDE if label.startswith("lat") else _LONGITUDE if label else None)
    negative = label in _NEGATIVE_LABELS or hemisphere in ("S", "W")
    if hemisphere:
        if axis is not None and axis != _HEMISPHERE_AXIS[hemisphere]:
            raise InvalidFormat("label and hemisphere letter name different axes")
        axis = _HEMISPHERE_AXIS[hemisphere]
    if negative:
        if number.startswith("-"):
            raise InvalidFormat("a minus sign and a southern or western label together")
        number = "-" + number
    return number, axis


def compact(text: str) -> str:
    """The pair as ``a,b`` with signs applied, in the order written (the stripped text if no pair).

    >>> compact('北纬21.4°，东经118.9°'), compact('33.86 S, 151.21 E'), compact('no pair ')
    ('21.4,118.9', '-33.86,151.21', 'no pair')
    """
    match = _PAIR.fullmatch(text.strip())
    if match is None:
        return text.strip()
    try:
        return ",".join(_signed(match, name)[0] for name in ("first", "second"))
    except ValidationError:
        return text.strip()


def _fits(value: float, axis: str) -> bool:
    return abs(value) <= (LATITUDE_LIMIT if axis == _LATITUDE else LONGITUDE_LIMIT)


def validate(text: str) -> str:
    """Return the pair as ``a,b`` (signed, as written) or raise a ValidationError subclass."""
    match = _PAIR.fullmatch(text.strip())
    if match is None:
        raise InvalidFormat("expected two decimals, optionally labelled, separated by a comma or space")
    (first, first_axis), (second, second_axis) = _signed(match, "first"), _signed(match, "second")
    a, b = float(first), float(second)
    if first_axis is not None and first_axis == second_axis:
        raise InvalidComponent("both numbers are labelled as the same axis")
    if first_axis is None and second_axis is not None:
        first_axis = _LONGITUDE if second_axis == _LATITUDE else _LATITUDE
    if first_axis is None:
        in_range = (_fits(a, _LATITUDE) and _fits(b, _LONGITUDE)) or (
            _fits(a, _LONGITUDE) and _fits(b, _LATITUDE)
        )
    else:
        other_axis = _LONGITUDE if first_axis == _LATITUDE else _LATITUDE
        in_range = _fits(a, first_axis) and _fits(b, other_axis)
    if not in_range:
        raise InvalidComponent("not a latitude (|x| <= 90) and a longitude (|x| <= 180)")
    if a == 0 and b == 0:
        raise InvalidComponent("0,0 is a default value, not a place")
    return f"{first},{second}"


def is_valid(text: str) -> bool:
    """True if ``text`` is a latitude/longitude pair in an accepted form; never raises."""
    return passes(validate, text)
