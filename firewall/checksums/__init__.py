"""Validators that confirm detection candidates: check digits, segment tables, ranges.

The detection engine finds candidates with Hyperscan and keeps one only if the validator named by
its rule returns True for the matched text (which may still contain separators, a +86 prefix or
lower-case letters). Each algorithm lives in its own module with the python-stdnum verbs:

* ``compact(text) -> str``: strip separators, normalise case;
* ``validate(text) -> str``: the normalised value, or a subclass of
  :class:`~firewall.checksums.exceptions.ValidationError` whose ``reason`` says why not;
* ``is_valid(text) -> bool``: never raises, for any input.

>>> get_validator('cn_resident_id')('11010519491231002X')
True
>>> VALIDATORS['cn_mobile']('+86 138 1234 5678')
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Protocol

from firewall.checksums import (
    alipay_id,
    birth_date,
    cn_bank_card,
    cn_given_name,
    cn_landline,
    cn_license_plate,
    cn_mobile,
    cn_ric,
    cn_uscc,
    cn_uscc_final_check,
    email_address,
    geo_coord,
    geo_coord_world,
    hk_id,
    imei,
    ipv4,
    ipv6,
    luhn,
    mac,
    mac_bare,
    tw_id,
    vin,
    vin_any_region,
)
from firewall.checksums.birth_date import is_minor_birthdate
from firewall.checksums.cn_ric import birthdate_from_resident_id
from firewall.checksums.exceptions import ValidationError

__all__ = [
    "MODULES",
    "VALIDATORS",
    "NumberModule",
    "ValidationError",
    "Validator",
    "birthdate_from_resident_id",
    "get_validator",
    "is_minor_birthdate",
]

Validator = Callable[[str], bool]


class NumberModule(Protocol):
    """What every validator module provides (modules satisfy this protocol structurally)."""

    def compact(self, text: str, /) -> str: ...

    def validate(self, text: str, /) -> str: ...

    def is_valid(self, text: str, /) -> bool: ...


MODULES: Mapping[str, NumberModule] = MappingProxyType(
    {
        "cn_resident_id": cn_ric,
        "luhn": luhn,
        "cn_bank_card": cn_bank_card,
        "cn_uscc": cn_uscc,
        "cn_uscc_final_check": cn_uscc_final_check,
        "hk_id": hk_id,
        "tw_id": tw_id,
        "vin": vin,
        "vin_any_region": vin_any_region,
        "imei": imei,
        "cn_mobile": cn_mobile,
        "cn_landline": cn_landline,
        "cn_license_plate": cn_license_plate,
        "cn_given_name": cn_given_name,
        "ipv4": ipv4,
        "ipv6": ipv6,
        "mac": mac,
        "mac_bare": mac_bare,
        "email": email_address,
        "geo_coord": geo_coord,
        "geo_coord_world": geo_coord_world,
        "date_of_birth": birth_date,
        "alipay_id": alipay_id,
    }
)

VALIDATORS: Mapping[str, Validator] = MappingProxyType(
    {name: module.is_valid for name, module in MODULES.items()}
)


def get_validator(name: str) -> Validator:
    """Return the ``is_valid`` function registered under ``name``.

    >>> get_validator('no_such_thing')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    KeyError: "unknown validator 'no_such_thing'; known validators: alipay_id, cn_bank_card, ..."
    """
    try:
        return VALIDATORS[name]
    except KeyError:
        known = ", ".join(sorted(VALIDATORS))
        raise KeyError(f"unknown validator {name!r}; known validators: {known}") from None
