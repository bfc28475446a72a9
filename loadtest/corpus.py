"""Write a labelled corpus: `DIR/events.ndjson` (one payload a line) and `DIR/truth.ndjson`.

    python -m loadtest.corpus --events N --seed S --out DIR [--source ours|faker|mixed]

`--source faker` takes PI values from the Faker library (zh_CN, and zh_TW for names and Taiwan ids)
inside templates of this module: a second generator with shapes ours may not have. What Faker
produces was checked before labelling (Faker 40.x):
- zh_CN `ssn`: 18-digit resident ids, valid MOD 11-2 and date; region codes of today, so
  python-stdnum's `is_valid` (region must exist in the birth year) rejects about 65 %
  -> CN_RESIDENT_ID.
- zh_CN `phone_number`: 11 plain digits, segments 13x 145 147 15x 18x -> CN_MOBILE.
- zh_CN `credit_card_number`: 16 digits, Luhn-valid, about 1/3 UnionPay 62, the rest Visa / MC
  -> CN_BANK_CARD.
- zh_CN `address`: province + made-up city + district + road + building + space + 6-digit postcode;
  labelled CN_ADDRESS over the whole value, postcode included.
- zh_CN `license_plate`: `京A-12345` with a dash; the letter may be I or O, which no plate has, so
  those are redrawn -> CN_LICENSE_PLATE.
- `vin`: check digit valid -> VIN. `email` / `free_email` -> EMAIL. `ipv4` / `ipv6` / `mac_address`.
- zh_TW `ssn`: Taiwan ids with a valid check digit -> TW_ID; zh_TW `name` -> CN_PERSON_NAME.
- `local_latlng(country_code="CN")` -> GEO_COORD; `date_of_birth` -> DATE_OF_BIRTH under birth keys.
- `company`, `job`, `bban` / `iban`, `ean13`, `md5`, `uuid4`: neutral, never labelled. There is no
  USCC provider. zh_TW phone numbers (Taiwan landlines) are not used: no catalogue entity fits them.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from loadtest.events import EventFactory, LabelledEvent, Tagged

SIZE_MIX = (256, 512, 1024, 1024, 1024, 1024, 2048, 4096, 16384, 65536)
_SIZE_WEIGHTS = (8, 12, 25, 15, 10, 10, 8, 6, 4, 2)
_WECHAT_SHAPE = re.compile(r"[a-zA-Z][-_a-zA-Z0-9]{5,19}")
_PLATE_LETTER_OK = re.compile(r"^.[A-HJ-NP-Z]")


class FakerEvents:
    """Events whose PI values come from Faker's zh_CN / zh_TW providers."""

    def __init__(self, seed: int, factory: EventFactory) -> None:
        try:
            from faker import Faker
        except ImportError as exc:  # an optional dependency: name the fix
            raise SystemExit("--source faker needs the 'faker' package") from exc
        self.cn = Faker("zh_CN")
        self.tw = Faker("zh_TW")
        self.cn.seed_instance(seed)
        self.tw.seed_instance(seed + 1)
        self.factory = factory
        self.rng = random.Random(seed ^ 0xFA4E)
        self._templates: list[Callable[[bool], dict[str, Any]]] = [
            self._profile, self._order, self._device, self._taiwan, self._ticket]

    def make(self, target_size: int, with_pi: bool) -> LabelledEvent:
        if self.rng.random() < 0.15:
            return self._log(with_pi, target_size)
        template = self._templates[self.rng.randrange(len(self._templates))]
        return self.factory.assemble(template(with_pi), "faker_" + template.__name__.strip("_"),
                                     target_size)

    # values that are PI, as (entity, text)
    def _plate(self) -> str:
        while not _PLATE_LETTER_OK.match(plate := str(self.cn.license_plate())):
            pass
        return plate

    def _pi(self, entity: str, text: str) -> Tagged:
        return Tagged(text, [(entity, 0, len(text))])

    def _neutral(self) -> dict[str, Any]:
        return {"company": self.cn.company(), "job": self.cn.job(), "iban": self.cn.iban(),
                "barcode": self.cn.ean13(), "request_id": self.cn.uuid4(),
                "checksum": self.cn.md5()}

    def _profile(self, with_pi: bool) -> dict[str, Any]:
        event = self._neutral()
        if with_pi:
            event.update({"name": self._pi("CN_PERSON_NAME", self.cn.name()),
                          "ssn": self._pi("CN_RESIDENT_ID", self.cn.ssn()),
                          "phone_number": self._pi("CN_MOBILE", self.cn.phone_number()),
                          "email": self._pi("EMAIL", self.cn.email()),
                          "birth_date": self._pi("DATE_OF_BIRTH", str(self.cn.date_of_birth())),
                          "address": self._pi("CN_ADDRESS", self.cn.address())})
            user_name = self.cn.user_name()
            if _WECHAT_SHAPE.fullmatch(user_name):
                event["wechat"] = self._pi("WECHAT_ID", user_name)
        return event

    def _order(self, with_pi: bool) -> dict[str, Any]:
        event = {"订单号": self.factory.negative("order_no"), "商品": self.cn.word() + "套装",
                 "金额": self.factory.negative("price"), **self._neutral()}
        if with_pi:
            event.update({"收件人": self._pi("CN_PERSON_NAME", self.cn.name()),
                          "电话": self._pi("CN_MOBILE", self.cn.phone_number()),
                          "收货地址": self._pi("CN_ADDRESS", self.cn.address()),
                          "信用卡": self._pi("CN_BANK_CARD", self.cn.credit_card_number())})
        return event

    def _device(self, with_pi: bool) -> dict[str, Any]:
        event = {"device_model": self.cn.word(), "sdk": self.factory.negative("version"),
                 **self._neutral()}
        if with_pi:
            point = self.cn.local_latlng(country_code="CN", coords_only=True)
            if point is None:  # Faker answers None only for a country it has no places of
                raise RuntimeError("Faker has no places in CN")
            lat, lng = point
            event.update({"ip": self._pi("IPV4", self.cn.ipv4()),
                          "ipv6": self._pi("IPV6", self.cn.ipv6()),
                          "mac": self._pi("MAC", self.cn.mac_address()),
                          "license_plate": self._pi("CN_LICENSE_PLATE", self._plate()),
                          "vin": self._pi("VIN", self.cn.vin()),
                          "geo": {"lat": self._pi("GEO_COORD", str(lat)),
                                  "lng": self._pi("GEO_COORD", str(lng))}})
        return event

    def _taiwan(self, with_pi: bool) -> dict[str, Any]:
        event = {"公司": self.tw.company(), "職稱": self.tw.job(), **self._neutral()}
        if with_pi:
            event.update({"姓名": self._pi("CN_PERSON_NAME", self.tw.name()),
                          "身分證字號": self._pi("TW_ID", self.tw.ssn()),
                          "email": self._pi("EMAIL", self.tw.free_email())})
        return event

    def _ticket(self, with_pi: bool) -> dict[str, Any]:
        if not with_pi:
            return {"content": f"公司{self.cn.company()}的订单{self.factory.negative('order_no')}"
                               f"已发货，条码{self.cn.ean13()}", **self._neutral()}
        pieces: list[tuple[str, str]] = [
            ("", "客户"), ("CN_PERSON_NAME", self.cn.name()), ("", "来电，电话"),
            ("CN_MOBILE", self.cn.phone_number()), ("", "，地址"),
            ("CN_ADDRESS", self.cn.address()),
            ("", "，信用卡"), ("CN_BANK_CARD", self.cn.credit_card_number()), ("", "被盗刷，邮箱"),
            ("EMAIL", self.cn.free_email()), ("", "，身份证"), ("CN_RESIDENT_ID", self.cn.ssn()),
            ("", "，请尽快回电")]
        return {"content": _glue(pieces), **self._neutral()}

    def _log(self, with_pi: bool, target_size: int) -> LabelledEvent:
        head = f"{self.cn.date_time():%Y-%m-%d %H:%M:%S} INFO [login] "
        if not with_pi:
            line = Tagged(head + f"ok request_id={self.cn.uuid4()} md5={self.cn.md5()}", [])
        else:
            line = _glue([("", head + "user="), ("EMAIL", self.cn.email()), ("", " ip="),
                          ("IPV4", self.cn.ipv4()), ("", " mac="), ("MAC", self.cn.mac_address()),
                          ("", " phone="), ("CN_MOBILE", self.cn.phone_number())])
        return self.factory.log_event(line, "faker_log", target_size)


def _glue(pieces: list[tuple[str, str]]) -> Tagged:
    """Concatenate (entity or "", text) pieces; entity pieces become spans."""
    spans, pos = [], 0
    for entity, text in pieces:
        if entity:
            spans.append((entity, pos, pos + len(text)))
        pos += len(text)
    return Tagged("".join(text for _, text in pieces), spans)


def generate(events: int, seed: int, source: str = "ours", pii_density: float = 0.5,
             size: int | None = None) -> Iterator[LabelledEvent]:
    """`size` None draws each event's target size from SIZE_MIX (256 B to 64 KB)."""
    factory = EventFactory(seed, pii_density, pool_size=4096)
    faker = FakerEvents(seed, factory) if source in ("faker", "mixed") else None
    rng = random.Random(seed ^ 0xC0)
    for _ in range(events):
        target = size or rng.choices(SIZE_MIX, weights=_SIZE_WEIGHTS)[0]
        use_faker = faker is not None and (source == "faker" or rng.random() < 0.5)
        if faker is not None and use_faker:
            yield faker.make(target, rng.random() < pii_density)
        else:
            yield factory.make(target_size=target)


def write(out_dir: Path, events: Iterator[LabelledEvent], source: str) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    with (out_dir / "events.ndjson").open("wb") as payloads, \
            (out_dir / "truth.ndjson").open("wb") as truth:
        for index, event in enumerate(events):
            payloads.write(event.payload + b"\n")
            row = {"index": index, "kind": event.kind, "source": source,
                   "variants": list(event.variants), "entities": [t.to_dict() for t in event.truth]}
            truth.write(orjson.dumps(row) + b"\n")
            count += 1
    return count


def read_truth(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as rows:
        return [orjson.loads(line) for line in rows if line.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="write a labelled PI corpus")
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", choices=("ours", "faker", "mixed"), default="ours")
    parser.add_argument("--density", type=float, default=0.5, help="share of events with PI")
    parser.add_argument("--size", type=int, default=None, help="target bytes (default: a mix)")
    args = parser.parse_args(argv)
    count = write(args.out, generate(args.events, args.seed, args.source, args.density, args.size),
                  args.source)
    print(f"wrote {count} events to {args.out}/events.ndjson and truth.ndjson")


if __name__ == "__main__":
    main()
