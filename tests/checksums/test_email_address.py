"""ASCII e-mail addresses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firewall.checksums import email_address
from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength


@pytest.mark.parametrize(
    "text",
    [
        "zhang.wei@example.com.cn",
        "Zhang.Wei+news@Example.COM",
        "a@b.co",
        "user_name-1@sub-domain.example.photography",
        "o'brien@example.ie",
        "x" * 64 + "@example.com",
        "a@" + "b" * 63 + ".com",
        "a@example.abcdefghijklmnopqrstuvwx",  # 24-letter TLD
    ],
)
def test_valid_addresses(text: str) -> None:
    assert email_address.validate(text) == text


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("a..b@example.com", InvalidFormat),
        ("a@example..com", InvalidFormat),
        (".a@example.com", InvalidFormat),
        ("a.@example.com", InvalidFormat),
        ("a@@example.com", InvalidFormat),
        ("a@b@example.com", InvalidFormat),
        ("example.com", InvalidFormat),
        ("张伟@example.com", InvalidFormat),
        ("a@例子.中国", InvalidFormat),
        ("a b@example.com", InvalidFormat),
        ("a@localhost", InvalidFormat),
        ("a@-example.com", InvalidFormat),
        ("a@example-.com", InvalidFormat),
        ("a@.example.com", InvalidFormat),
        ("a@exa_mple.com", InvalidFormat),
        ("a@" + "b" * 64 + ".com", InvalidFormat),
        ("@example.com", InvalidLength),
        ("x" * 65 + "@example.com", InvalidLength),
        ("a@" + "b." * 130 + "com", InvalidLength),
        ("a@example.c", InvalidComponent),
        ("a@example.c0m", InvalidComponent),
        ("a@example.abcdefghijklmnopqrstuvwxy", InvalidComponent),  # 25 letters
        ("a@192.168.1.1", InvalidComponent),
        ("a@example.xn--fiqs8s", InvalidComponent),
    ],
)
def test_near_misses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        email_address.validate(text)
    assert not email_address.is_valid(text)


ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-"
atoms = st.text(alphabet=ATEXT, min_size=1, max_size=10)
labels = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
tlds = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=24)


@given(
    local=st.lists(atoms, min_size=1, max_size=4).map(".".join),
    domain=st.lists(labels, min_size=1, max_size=3).map(".".join),
    tld=tlds,
)
def test_dot_atom_addresses_are_valid(local: str, domain: str, tld: str) -> None:
    assert email_address.is_valid(f"{local}@{domain}.{tld}")
