"""A decimal latitude/longitude pair inside mainland China's bounding box.

``"lat,lng"`` or ``"lng,lat"`` (comma or full-width comma, spaces allowed around it). Both numbers
are unsigned decimals with 1-3 integer digits and at least 3 decimals (about 100 m or better: fewer
decimals are too coarse to be precise location and too common in other data). One number must be a
latitude in 3.8-53.6 and the other a longitude in 73.5-135.1; the ranges do not overlap, so the
order is never ambiguous. Other countries' coordinates are out of scope for this validator.

>>> validate('39.9042, 116.4074')
'39.9042,116.4074'
>>> is_valid('116.407,39.904'), is_valid('39.9,116.4'), is_valid('48.8566,2.3522')
(True, False, False)
"""

from __future__ import annotations

from firewall.checksums._text import is_ascii_digits
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, passes

__all__ = ["compact", "is_valid", "validate"]

LATITUDE_RANGE = (3.8, 53.6)
LONGITUDE_RANGE = (73.5, 135.1)
_MIN_DECIMALS = 3
_MAX_DECIMALS = 15
_MAX_INTEGER_DIGITS = 3


def compact(text: str) -> str:
    """Normalise the separator to ',' and remove spaces.

    >>> compact(' 39.904 ， 116.407 ')
    '39.904,116.407'
    """
    return text.replace("，", ",").replace(" ", "").strip()


def _coordinate(part: str) -> float:
    whole, dot, decimals = part.partition(".")
    if (
        not dot
        or not is_ascii_digits(whole)
        or len(whole) > _MAX_INTEGER_DIGITS
        or not is_ascii_digits(decimals)
        or not _MIN_DECIMALS <= len(decimals) <= _MAX_DECIMALS
    ):
        raise InvalidFormat("expected an unsigned decimal with at least 3 decimals")
    return float(part)


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def validate(text: str) -> str:
    """Return the pair as ``a,b`` or raise a ValidationError subclass."""
    pair = compact(text)
    first, comma, second = pair.partition(",")
    if not comma:
        raise InvalidFormat("expected two numbers separated by a comma")
    a, b = _coordinate(first), _coordinate(second)
    lat_lng = _within(a, LATITUDE_RANGE) and _within(b, LONGITUDE_RANGE)
    if not lat_lng and not (_within(a, LONGITUDE_RANGE) and _within(b, LATITUDE_RANGE)):
        raise InvalidComponent("not inside China's bounding box")
    return pair


def is_valid(text: str) -> bool:
    """True if ``text`` is a precise coordinate pair inside China; never raises."""
    return passes(validate, text)
