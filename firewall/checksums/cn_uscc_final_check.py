"""Unified Social Credit Code checked on its final check character only (GB 32100-2015).

Every code issued passes both checks of ``cn_uscc``, but test-data generators that implement only
the final mod-31 check character (python-stdnum's ``cn.uscc`` checks no more either) produce codes
whose embedded organisation code (GB 11714) check fails: about 10 in 11 of them. Rules use this
validator only where a JSON key or a cue word (税号, 统一社会信用代码) says the value is a USCC;
without context ``cn_uscc`` keeps its stricter test.

>>> validate('Y1440106MAM6MMYGEA')
'Y1440106MAM6MMYGEA'
>>> from firewall.checksums import cn_uscc
>>> cn_uscc.is_valid('Y1440106MAM6MMYGEA'), is_valid('y1440106mam6mmygea'), is_valid('Y1440106MAM6MMYGEB')
(False, True, False)
"""

from __future__ import annotations

from firewall.checksums import cn_uscc
from firewall.checksums.exceptions import passes

__all__ = ["compact", "is_valid", "validate"]


def compact(text: str) -> str:
    """Remove spaces and dashes and upper-case (as ``cn_uscc.compact``).

    >>> compact('y1 440106 mam6mmygea')
    'Y1440106MAM6MMYGEA'
    """
    return cn_uscc.compact(text)


def validate(text: str) -> str:
    """Return the compact code or raise a ValidationError subclass (organisation check waived)."""
    return cn_uscc.validate(text, org_code_check=False)


def is_valid(text: str) -> bool:
    """True if ``text`` is a USCC with a correct final check character; never raises."""
    return passes(validate, text)
