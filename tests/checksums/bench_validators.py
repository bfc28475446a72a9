"""Per-call cost of every registered validator, valid and invalid input, and of python-stdnum.

Run from the repository root: ``.venv/bin/python -m tests.checksums.bench_validators``. Prints the
best of 5 repeats in microseconds per call (noisy on a shared machine: compare runs, not digits).
Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import sys
import timeit
from collections.abc import Callable

from stdnum import imei as stdnum_imei
from stdnum import luhn as stdnum_luhn
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from firewall.checksums import VALIDATORS

CASES = {
    "cn_resident_id": ("11010519491231002X", "110105194912310021"),
    "luhn": ("6222021234567890128", "6222021234567890123"),
    "cn_bank_card": ("6222 0212 3456 7890 128", "6222021234567890123"),
    "cn_uscc": ("91110000600037341L", "91110000600037341N"),
    "hk_id": ("A123456(3)", "A123456(4)"),
    "tw_id": ("A123456789", "A123456788"),
    "vin": ("1M8GDM9AXKP042788", "1M8GDM9A1KP042788"),
    "imei": ("352099001761481", "352099001761482"),
    "cn_mobile": ("+86 138 1234 5678", "15412345678"),
    "cn_landline": ("0755-23456789", "0261-2345678"),
    "cn_license_plate": ("京A·12345", "京I12345"),
    "ipv4": ("192.168.1.254", "256.1.1.1"),
    "ipv6": ("2001:db8::8a2e:370:7334", "2001:db8:::1"),
    "mac": ("00:1a:2b:3c:4d:5e", "ff:ff:ff:ff:ff:ff"),
    "email": ("zhang.wei@example.com.cn", "a..b@example.com"),
    "geo_coord": ("39.9042,116.4074", "48.8566,2.3522"),
    "date_of_birth": ("1990-01-02", "1990-02-30"),
    "alipay_id": ("2088102030405060", "2089102030405060"),
}

STDNUM = {
    "stdnum.cn.ric.is_valid": (stdnum_ric.is_valid, "11010519491231002X"),
    "stdnum.cn.uscc.is_valid": (stdnum_uscc.is_valid, "91110000600037341L"),
    "stdnum.luhn.is_valid": (stdnum_luhn.is_valid, "6222021234567890128"),
    "stdnum.imei.is_valid": (stdnum_imei.is_valid, "352099001761481"),
}


def microseconds(function: Callable[[str], bool], text: str, number: int) -> float:
    best = min(timeit.repeat(lambda: function(text), number=number, repeat=5))
    return best / number * 1e6


def main(number: int = 20_000) -> None:
    print(f"{'validator':24s} {'valid µs':>9s} {'invalid µs':>10s}")
    for name, (good, bad) in CASES.items():
        function = VALIDATORS[name]
        assert function(good) and not function(bad), name
        valid, invalid = microseconds(function, good, number), microseconds(function, bad, number)
        print(f"{name:24s} {valid:9.2f} {invalid:10.2f}")
    for name, (function, good) in STDNUM.items():
        print(f"{name:24s} {microseconds(function, good, number // 10):9.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
