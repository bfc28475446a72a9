"""Realistic outbound events with the exact position of every PI value in them.

`EventFactory(seed).make(kind, target_size)` returns a `LabelledEvent`: the NDJSON payload bytes and
`TruthSpan`s in the scan contract's coordinates (JSONPath of the leaf, character offsets in the
leaf's decoded text). Values come from pools filled once per factory so a load generator can make
tens of thousands of events a second; `python -m loadtest.events --bench` measures it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

import orjson

from loadtest import pii_values as pv

T = TypeVar("T")
KINDS = ("order", "profile", "support_ticket", "ad_audience", "payment", "log_line")
_KIND_WEIGHTS = (25, 20, 15, 10, 15, 15)
_KIND_DRAW = tuple(k for k, w in zip(KINDS, _KIND_WEIGHTS, strict=True) for _ in range(w))
_PAD_KEY = {"order": "items", "profile": "browse_history", "support_ticket": "related_products",
            "ad_audience": "creatives", "payment": "goods_detail"}


@dataclass(frozen=True, slots=True)
class TruthSpan:
    """One PI value: entity id, JSONPath of its leaf, character span in the leaf's text."""

    entity: str
    path: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class LabelledEvent:
    payload: bytes
    truth: list[TruthSpan]
    kind: str
    variants: tuple[str, ...] = ()


@dataclass(slots=True)
class Tagged:
    """A leaf under construction: its final value and the PI spans inside its text."""

    value: str | int | float | list[float]
    spans: list[tuple[str, int, int]]


def path_child(parent: str, key: str | int) -> str:
    """`$.a.b`, `$.a[0]`, and `$['a b']` for keys that are not identifiers."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if key.isidentifier():
        return f"{parent}.{key}"
    return parent + "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']"


def number_array(numbers: list[float], entity: str) -> Tagged:
    """An array of numbers that is one value; the walk reads it as its numbers joined by ", "."""
    return Tagged(numbers, [(entity, 0, len(leaf_text(numbers)))])


def leaf_text(value: str | int | float | list[float]) -> str:
    """A Tagged value's text as the walk reads it."""
    return ", ".join(map(repr, value)) if isinstance(value, list) else str(value)


def collect_truth(node: Any, path: str, out: list[TruthSpan]) -> Any:
    """Replace every `Tagged` leaf under `node` by its value and record its spans.

    Only plain dicts and lists are entered: pooled padding items are `NeutralItem`s, skipped.
    """
    kind = type(node)
    if kind is Tagged:
        text = leaf_text(node.value)
        out.extend(TruthSpan(e, path, s, t, text[s:t]) for e, s, t in node.spans)
        return node.value
    if kind is dict:
        for key, child in node.items():
            if type(child) in _CONTAINERS:
                node[key] = collect_truth(child, path_child(path, key), out)
    elif kind is list:
        for i, child in enumerate(node):
            if type(child) in _CONTAINERS:
                node[i] = collect_truth(child, path_child(path, i), out)
    return node


def _holds_pi(node: Any) -> bool:
    kind = type(node)
    if kind is Tagged:
        return bool(node.spans)
    if kind is dict:
        return any(_holds_pi(child) for child in node.values())
    return kind is list and any(_holds_pi(child) for child in node)


class NeutralItem(dict[str, Any]):
    """A padding item without PI, shared between events: `collect_truth` does not enter it."""


_CONTAINERS = frozenset((Tagged, dict, list))
PoolItem = tuple[NeutralItem, int, int]  # item, JSON size, ASCII-escaped JSON size


def canonical_head(path: str) -> str:
    """The top-level key a JSONPath starts with ('' for `$` itself)."""
    if path.startswith("$."):
        return path[2:].split(".", 1)[0].split("[", 1)[0]
    if path.startswith("$['"):
        return path[3:].split("']", 1)[0].replace("\\'", "'").replace("\\\\", "\\")
    return ""


def _trim(core: dict[str, Any], target_size: int, escaped: bool, keep: set[str]) -> int:
    """Drop top-level neutral fields (never one holding PI) until the event fits the target."""
    size = len(dumps(core, escaped))
    for key in reversed(list(core)):
        if size <= target_size:
            break
        if key not in keep:
            del core[key]
            size = len(dumps(core, escaped))
    return size


def dumps(obj: Any, escaped: bool) -> bytes:
    if escaped:  # every non-ASCII character as \\uXXXX, as some producers send it
        return json.dumps(obj, ensure_ascii=True, separators=(",", ":")).encode()
    return orjson.dumps(obj)


def as_json_number(text: str) -> int | None:
    """The int a producer would store for a digits-only value, if it fits in a signed 64-bit."""
    if text.isdigit() and text[0] != "0" and int(text) < 2**63:
        return int(text)
    return None


class EventFactory:
    """Makes labelled events; the same seed gives the same stream."""

    def __init__(self, seed: int, pii_density: float = 0.3, pool_size: int = 512) -> None:
        self.rng = random.Random(seed)
        self.pii_density = pii_density
        pool_rng = random.Random(seed ^ 0x5EED)
        self.pi = {e: [g(pool_rng) for _ in range(pool_size)] for e, g in pv.PI_GENERATORS.items()}
        self.neg = {name: [g(pool_rng) for _ in range(pool_size)]
                    for name, g in pv.HARD_NEGATIVES.items()}
        self.fill = filler_pools(pool_rng, pool_size)
        self.pools: dict[str, list[str]] = {**self.fill, **self.neg, **self.pi}
        self.geo = [pv.geo_pair(pool_rng) for _ in range(pool_size)]
        self.items_small, self.items_big = item_pools(pool_rng, self.neg, pool_size)
        self.log_pad = log_padding_pool(pool_rng, self.neg, pool_size)
        self._random = self.rng.random
        self._numbers = False
        self._zh_keys = False
        self._builders: dict[str, Callable[[bool], Any]] = {
            "order": self._order, "profile": self._profile, "support_ticket": self._ticket,
            "ad_audience": self._audience, "payment": self._payment,
        }

    # --- public -------------------------------------------------------------------------------

    def make(self, kind: str | None = None, target_size: int = 1024) -> LabelledEvent:
        rng = self.rng
        kind = kind or self.pick(_KIND_DRAW)
        with_pi = rng.random() < self.pii_density
        if kind == "log_line":
            return self._log_line(with_pi, target_size)
        self._numbers = rng.random() < 0.3
        self._zh_keys = rng.random() < 0.25
        escaped = rng.random() < 0.1
        core = self._builders[kind](with_pi)
        if with_pi and not _holds_pi(core):  # optional fields all came out empty
            core[self.key("remark")] = self.text(REMARK_PI)
        variants = tuple(v for v, on in (("numbers", self._numbers), ("zh_keys", self._zh_keys),
                                         ("escaped", escaped)) if on)
        return self.assemble(core, kind, target_size, escaped=escaped, variants=variants)

    def assemble(self, core: dict[str, Any], kind: str, target_size: int, *, escaped: bool = False,
                 variants: tuple[str, ...] = ()) -> LabelledEvent:
        """Resolve `Tagged` leaves into truth, pad with neutral items to about `target_size`."""
        truth: list[TruthSpan] = []
        collect_truth(core, "$", truth)
        size = len(dumps(core, escaped))
        if size > target_size:
            size = _trim(core, target_size, escaped, {canonical_head(t.path) for t in truth})
        need = target_size - size - len(_PAD_KEY.get(kind, "extra")) - 6
        if need > 40:
            padding = []
            slot = int(self._random() * 1_000_003)  # walk the pools from one random start
            while need > 40:
                pool = self.items_big if need > 4000 else self.items_small
                item, item_size, escaped_size = pool[slot % len(pool)]
                slot += 1
                padding.append(item)
                need -= (escaped_size if escaped else item_size) + 1
            core.setdefault(_PAD_KEY.get(kind, "extra"), []).extend(padding)
        return LabelledEvent(dumps(core, escaped), truth, kind, variants)

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self._random() * len(seq))]

    def randint(self, low: int, high: int) -> int:
        return low + int(self._random() * (high - low + 1))

    # --- leaves -------------------------------------------------------------------------------

    def value(self, entity: str) -> str:
        return self.pick(self.pi[entity])

    def negative(self, name: str) -> str:
        return self.pick(self.neg[name])

    def key(self, role: str) -> str:
        english, chinese = KEYS[role]
        names = chinese if self._zh_keys and chinese else english
        return self.pick(names)

    def leaf(self, entity: str, text: str | None = None) -> Tagged:
        text = self.value(entity) if text is None else text
        number = as_json_number(text) if self._numbers else None
        return Tagged(text if number is None else number, [(entity, 0, len(text))])

    def number_or_text(self, text: str) -> int | str:
        number = as_json_number(text) if self._numbers else None
        return text if number is None else number

    def text(self, templates: Templates) -> Tagged:
        """Fill one template: PI slots become spans, other slots hard negatives or filler."""
        parts: list[str] = []
        spans: list[tuple[str, int, int]] = []
        pos = 0
        pools = self.pools
        for entity, name in self.pick(templates):
            if not entity:
                piece = name
            else:
                pool = pools[name]
                piece = self.pick(pool)
                if entity != "\0":
                    spans.append((entity, pos, pos + len(piece)))
            parts.append(piece)
            pos += len(piece)
        return Tagged("".join(parts), spans)

    def joined_text(self, templates: list[Templates], sep: str) -> Tagged:
        pieces = [self.text(t) for t in templates]
        spans: list[tuple[str, int, int]] = []
        pos = 0
        for piece in pieces:
            spans.extend((e, s + pos, t + pos) for e, s, t in piece.spans)
            pos += len(str(piece.value)) + len(sep)
        return Tagged(sep.join(str(p.value) for p in pieces), spans)

    def _maybe(self, obj: dict[str, Any], role: str, entity: str, p: float) -> None:
        if self.rng.random() < p:
            obj[self.key(role)] = self.leaf(entity)

    def _geo(self, obj: dict[str, Any]) -> None:
        lat, lng = self.pick(self.geo)
        shape = self.rng.random()
        if shape < 0.4:
            obj[self.key("geo")] = self.leaf("GEO_COORD")
            return
        if shape < 0.55:  # GeoJSON's [lng, lat], numbers
            obj[self.key("geo")] = number_array([float(lng), float(lat)], "GEO_COORD")
            return
        lat_key, lng_key = self.pick(LAT_LNG_KEYS)
        as_float = self._numbers or self.rng.random() < 0.5
        obj["location"] = {
            lat_key: Tagged(float(lat) if as_float else lat, [("GEO_COORD", 0, len(lat))]),
            lng_key: Tagged(float(lng) if as_float else lng, [("GEO_COORD", 0, len(lng))])}

    # --- kinds --------------------------------------------------------------------------------

    def _order(self, pi: bool) -> dict[str, Any]:
        rng = self.rng
        order: dict[str, Any] = {
            "order_id": self.number_or_text(self.negative("order_no")),
            "create_time": int(self.negative("epoch_ms")), "status": self.pick(ORDER_STATUS),
            "shop": {"shop_id": self.randint(10000, 999999), "shop_name": self._fill("company")},
            "items": [self.pick(self.items_small)[0]],
            "pay_amount": self.negative("price").lstrip("¥￥"),
            "trace_id": self.negative("trace_id"),
        }
        if not pi:
            order["buyer"] = {"user_id": self.randint(10**6, 10**9),
                              "nick": self.negative("masked")}
            order["logistics"] = self._logistics()
            order[self.key("remark")] = self.text(REMARK_NEUTRAL)
            return order
        buyer: dict[str, Any] = {"user_id": self.randint(10**6, 10**9)}
        self._maybe(buyer, "name", "CN_PERSON_NAME", 0.5)
        self._maybe(buyer, "mobile", "CN_MOBILE", 0.5)
        order["buyer"] = buyer
        receivers = [self._receiver() for _ in range(self.pick((1, 1, 1, 2)))]
        if len(receivers) == 1 and rng.random() < 0.6:
            order["receiver"] = receivers[0]
        else:
            order["receivers"] = receivers
        order["logistics"] = self._logistics()
        pi_remark = rng.random() < 0.4
        order[self.key("remark")] = self.text(REMARK_PI if pi_remark else REMARK_NEUTRAL)
        return order

    def _logistics(self) -> dict[str, Any]:
        return {"carrier": self._fill("carrier"), "waybill_no": self.negative("waybill")}

    def _receiver(self) -> dict[str, Any]:
        rng = self.rng
        receiver: dict[str, Any] = {self.key("name"): self.leaf("CN_PERSON_NAME")}
        phone_entity = "CN_LANDLINE" if rng.random() < 0.15 else "CN_MOBILE"
        receiver[self.key("mobile" if phone_entity == "CN_MOBILE" else "landline")] = \
            self.leaf(phone_entity)
        receiver[self.key("address")] = self.leaf("CN_ADDRESS")
        if rng.random() < 0.3:
            receiver["postcode"] = str(self.randint(100000, 850000))
        return receiver

    def _profile(self, pi: bool) -> dict[str, Any]:
        rng = self.rng
        profile: dict[str, Any] = {
            "uid": self.randint(10**7, 10**10), "nickname": self._fill("nickname"),
            "gender": self.pick(("M", "F", "U")), "register_time": self._fill("ts"),
            "vip_level": self.randint(0, 9), "tags": rng.sample(TAGS, 3),
            "device": {"os": self.pick(OS_NAMES), "app_version": self.negative("version")},
        }
        if not pi:
            profile["masked_mobile"] = self.negative("masked")
            profile["avatar"] = f"https://img.example.cn/avatar/{self.negative('md5')}.jpg"
            return profile
        for role, entity, p in PROFILE_FIELDS:
            self._maybe(profile, role, entity, p)
        if rng.random() < 0.35:
            cert_type, entity = self.pick(CERT_TYPES)
            profile["cert"] = {"cert_type": cert_type, self.key("cert_no"): self.leaf(entity)}
        if rng.random() < 0.3:
            profile["devices"] = [self._device(True) for _ in range(self.randint(1, 2))]
        if rng.random() < 0.3:
            profile["contacts"] = [{self.key("name"): self.leaf("CN_PERSON_NAME"),
                                    self.key("mobile"): self.leaf("CN_MOBILE"),
                                    "relation": self.pick(RELATIONS)}
                                   for _ in range(self.randint(1, 3))]
        if rng.random() < 0.15:
            profile["vehicles"] = [{self.key("plate"): self.leaf("CN_LICENSE_PLATE"),
                                    self.key("vin"): self.leaf("VIN")}]
        if rng.random() < 0.2:
            self._geo(profile)
        if rng.random() < 0.25:
            profile[self.key("remark")] = self.text(REMARK_PI)
        return profile

    def _device(self, pi: bool) -> dict[str, Any]:
        device: dict[str, Any] = {"os": self.pick(OS_NAMES), "ua": self._fill("ua")}
        if pi:
            self._maybe(device, "imei", "IMEI", 0.6)
            self._maybe(device, "mac", "MAC", 0.5)
            self._maybe(device, "ipv4", "IPV4", 0.6)
            self._maybe(device, "ipv6", "IPV6", 0.3)
        else:
            device["device_hash"] = self.negative("sha1")
            device["serial_no"] = self.negative("imei_luhn_fail")
            device["sdk_version"] = self.negative("version")
        return device

    def _ticket(self, pi: bool) -> dict[str, Any]:
        rng = self.rng
        sentences = [TICKET_NEUTRAL] * self.randint(0, 3)
        if pi:
            sentences += [TICKET_PI] * self.randint(1, 3)
        elif not sentences:
            sentences = [TICKET_NEUTRAL]
        rng.shuffle(sentences)
        ticket: dict[str, Any] = {
            "ticket_id": "TK" + self.negative("epoch_ms"), "created_at": self._fill("ts"),
            "channel": self.pick(CHANNELS), "category": self.pick(TICKET_CATEGORIES),
            self.key("content"): self.joined_text(sentences, self.pick(("", "", "。", "\n", " "))),
            "attachments": [{"file": f"截图{i + 1}.png", "md5": self.negative("md5"),
                             "size": self.randint(10_000, 900_000)}
                            for i in range(self.randint(0, 2))],
            "agent": {"id": f"A{self.randint(1000, 9999)}", "group": self.pick(AGENT_GROUPS)},
        }
        if pi and rng.random() < 0.3:
            ticket["customer"] = {self.key("name"): self.leaf("CN_PERSON_NAME"),
                                  self.key("mobile"): self.leaf("CN_MOBILE")}
        return ticket

    def _audience(self, pi: bool) -> dict[str, Any]:
        rng = self.rng
        members = []
        for _ in range(self.randint(1, 4)):
            member = self._device(pi)
            member["segment"] = self.pick(SEGMENTS)
            if pi and rng.random() < 0.4:
                self._geo(member)
            members.append(member)
        return {"request_id": self.negative("uuid"), "campaign_id": self.randint(10**5, 10**7),
                "adgroup_id": self.randint(10**5, 10**8), "bid_price": self.negative("price"),
                "ts": int(self.negative("epoch_ms")), "traceparent": self.negative("traceparent"),
                "audience": members}

    def _payment(self, pi: bool) -> dict[str, Any]:
        rng = self.rng
        payment: dict[str, Any] = {
            "out_trade_no": self.negative("order_no"),
            "transaction_id": "42000" + self.negative("order_no") + self.negative("epoch_ms")[:5],
            "amount": int(self.negative("amount_cents")), "currency": "CNY",
            "channel": self.pick(PAY_CHANNELS), "traceparent": self.negative("traceparent"),
            "merchant": {"name": self._fill("company"),
                         self.key("uscc"): self.leaf("CN_USCC") if pi and rng.random() < 0.5
                         else self.negative("uscc_bad_check")},
            "ext_data": self.negative("neutral_base64"), "sign": self.negative("sha256"),
        }
        if rng.random() < 0.2:
            payment["intermediary_iban"] = self.negative("iban_like")
        if not pi:
            payment["payer"] = {"card_tail": self.negative("masked"), "bank": self._fill("bank")}
            payment["ref_card"] = self.negative("card_luhn_fail")
            return payment
        payer: dict[str, Any] = {"bank": self._fill("bank")}
        self._maybe(payer, "card", "CN_BANK_CARD", 0.8)
        self._maybe(payer, "name", "CN_PERSON_NAME", 0.6)
        self._maybe(payer, "id_card", "CN_RESIDENT_ID", 0.4)
        self._maybe(payer, "mobile", "CN_MOBILE", 0.4)
        self._maybe(payer, "alipay", "ALIPAY_ID", 0.2)
        payment["payer"] = payer
        if rng.random() < 0.15:
            payment["etc"] = {self.key("plate"): self.leaf("CN_LICENSE_PLATE"),
                              self.key("vin"): self.leaf("VIN")}
        if rng.random() < 0.05:
            template = self.leaf("BIOMETRIC")
            if str(template.value).startswith("["):  # a feature vector: sent as a JSON array here
                template = number_array(orjson.loads(str(template.value)), "BIOMETRIC")
            payment["liveness"] = {self.key("biometric"): template, "score": 0.97}
        if rng.random() < 0.3:
            payment[self.key("remark")] = self.text(REMARK_PI)
        return payment

    def _log_line(self, pi: bool, target_size: int) -> LabelledEvent:
        return self.log_event(self.text(LOG_PI if pi else LOG_NEUTRAL), "log_line", target_size)

    def log_event(self, line: Tagged, kind: str, target_size: int) -> LabelledEvent:
        """A raw-text event: the line, then neutral key=value fragments up to the target size."""
        pads = [str(line.value)]
        size = len(pads[0].encode())
        while size < target_size - 60:
            fragment, fragment_size = self.pick(self.log_pad)
            pads.append(fragment)
            size += fragment_size + 1
        text = " ".join(pads)
        truth = [TruthSpan(e, "$", s, t, text[s:t]) for e, s, t in line.spans]
        return LabelledEvent(text.encode(), truth, kind)

    def _fill(self, name: str) -> str:
        return self.pick(self.fill[name])


def _bench(args: argparse.Namespace) -> None:
    factory = EventFactory(args.seed, args.density)
    sizes: dict[str, list[int]] = {kind: [] for kind in KINDS}
    entities: Counter[str] = Counter()
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.events):  # keep only sizes, as a load generator would
        event = factory.make(target_size=args.size)
        sizes[event.kind].append(len(event.payload))
        entities.update(t.entity for t in event.truth)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    total = sum(sum(v) for v in sizes.values())
    print(f"{args.events / elapsed:,.0f} events/s wall, {args.events / cpu:,.0f} per CPU-second, "
          f"at target {args.size} B ({total / elapsed / 1e6:.1f} MB/s)")
    for kind, values in sorted(sizes.items()):
        if not values:
            continue
        values.sort()
        print(f"  {kind:15} n={len(values):6} p5={values[len(values) // 20]:6} "
              f"p50={values[len(values) // 2]:6} p95={values[len(values) * 19 // 20]:6}")
    print("entities:", dict(entities.most_common()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="benchmark or sample the labelled-event factory")
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--density", type=float, default=0.3)
    parser.add_argument("--sample", type=str, default="", help="print one event of this kind")
    args = parser.parse_args(argv)
    if args.sample:
        event = EventFactory(args.seed, 1.0).make(args.sample, args.size)
        body = event.payload.decode()
        print(body if event.kind == "log_line" else json.dumps(json.loads(body), ensure_ascii=False,
                                                                  indent=2))
        for span in event.truth:
            print(f"  {span.entity:18} {span.path} [{span.start}:{span.end}] {span.text[:60]}")
        return
    _bench(args)



# --- text tables (keys, templates, filler) ------------------------------------------------------
# Key spellings seen in real producers: (English spellings, Chinese spellings) per role.

KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "name": (("name", "real_name", "realName", "full_name", "consignee", "receiver_name",
              "contact_name"), ("姓名", "联系人", "收货人", "收件人", "真实姓名")),
    "mobile": (("mobile", "phone", "tel", "mobile_phone", "phoneNumber", "phone_no", "cellphone",
                "contact_phone", "mobileNo"), ("手机号", "手机", "联系电话", "电话", "手机号码")),
    "landline": (("tel", "landline", "office_phone", "telephone", "fixed_phone"),
                 ("座机", "固定电话", "办公电话")),
    "id_card": (("id_card", "idNo", "idCard", "cert_no", "id_number", "identity_no", "certNo",
                 "id_no", "sfzh"), ("身份证", "身份证号", "证件号码", "身份证号码")),
    "passport": (("passport_no", "passport", "passportNumber", "passport_number"),
                 ("护照号", "护照号码")),
    "hkmo_permit": (("hk_macau_permit", "permit_no", "hkmo_pass_no", "home_return_permit"),
                    ("港澳通行证", "回乡证号")),
    "tw_permit": (("tw_permit_no", "mtp_no", "taiwan_permit"), ("台胞证号", "台胞证")),
    "hk_id": (("hkid", "hk_id", "hk_id_card"), ("香港身份证", "香港身份证号")),
    "mo_id": (("macau_id", "mo_id", "bir_no"), ("澳门身份证", "澳门身份证号")),
    "tw_id": (("tw_id", "twid", "taiwan_id"), ("台湾身份证", "台湾身份证号")),
    "cert_no": (("cert_no", "certNo", "doc_no", "document_number", "credential_no"),
                ("证件号码", "证件号")),
    "address": (("address", "addr", "detail_address", "receiver_address", "home_address",
                 "shipping_address"), ("地址", "收货地址", "详细地址", "家庭住址")),
    "email": (("email", "mail", "email_address", "e_mail"), ("邮箱", "电子邮箱")),
    "card": (("card_no", "bank_card", "cardNumber", "account_no", "bank_account", "pan",
              "card_number"), ("卡号", "银行卡号", "银行账号")),
    "plate": (("plate", "plate_no", "license_plate", "car_no", "plateNumber"), ("车牌号", "车牌")),
    "vin": (("vin", "vin_code", "frame_no"), ("车架号", "车辆识别代号")),
    "imei": (("imei", "device_imei", "IMEI", "imei1"), ("设备IMEI",)),
    "ipv4": (("ip", "client_ip", "remote_addr", "login_ip", "x_forwarded_for"),
             ("IP地址", "登录IP")),
    "ipv6": (("ipv6", "client_ipv6", "ip6"), ("IPv6地址",)),
    "mac": (("mac", "mac_address", "wifi_mac", "macAddr"), ("MAC地址",)),
    "dob": (("birthday", "birth_date", "dob", "date_of_birth", "birthDate"), ("出生日期", "生日")),
    "biometric": (("face_feature", "face_template", "fingerprint", "voiceprint", "iris_code",
                   "faceEmbedding"), ("人脸特征", "指纹", "声纹")),
    "wechat": (("wechat", "wechat_id", "wx_id", "weixin"), ("微信号", "微信")),
    "qq": (("qq", "qq_no", "qqNumber"), ("QQ号",)),
    "alipay": (("alipay_user_id", "alipay_uid", "alipayUserId"), ("支付宝用户ID",)),
    "uscc": (("uscc", "credit_code", "social_credit_code", "tax_no", "taxpayer_id"),
             ("统一社会信用代码", "税号")),
    "geo": (("location", "geo", "coord", "lnglat"), ("坐标", "定位")),
    "remark": (("remark", "desc", "note", "comment", "memo", "message", "buyer_message"),
               ("备注", "留言", "说明")),
    "content": (("content", "description", "body", "text", "detail"), ("内容", "问题描述")),
}
LAT_LNG_KEYS = (("lat", "lng"), ("latitude", "longitude"), ("纬度", "经度"))
PROFILE_FIELDS = (("name", "CN_PERSON_NAME", 0.6), ("id_card", "CN_RESIDENT_ID", 0.35),
                  ("dob", "DATE_OF_BIRTH", 0.3), ("mobile", "CN_MOBILE", 0.5),
                  ("landline", "CN_LANDLINE", 0.08), ("email", "EMAIL", 0.35),
                  ("wechat", "WECHAT_ID", 0.2), ("qq", "QQ", 0.2), ("address", "CN_ADDRESS", 0.3),
                  ("biometric", "BIOMETRIC", 0.05), ("passport", "CN_PASSPORT", 0.05),
                  ("hkmo_permit", "CN_HK_MACAU_PERMIT", 0.03),
                  ("tw_permit", "CN_TAIWAN_PERMIT", 0.03), ("hk_id", "HK_ID", 0.03),
                  ("mo_id", "MO_ID", 0.03), ("tw_id", "TW_ID", 0.03))
CERT_TYPES = (("ID_CARD", "CN_RESIDENT_ID"), ("PASSPORT", "CN_PASSPORT"),
              ("HK_MACAU_PERMIT", "CN_HK_MACAU_PERMIT"), ("TAIWAN_PERMIT", "CN_TAIWAN_PERMIT"),
              ("HK_ID", "HK_ID"), ("MO_ID", "MO_ID"), ("TW_ID", "TW_ID"))
ORDER_STATUS = ("PAID", "SHIPPED", "DELIVERED", "REFUNDING", "CLOSED", "待发货", "已签收")
TAGS = ("数码", "母婴", "美妆", "运动", "家居", "图书", "生鲜", "宠物", "汽车", "旅行")
OS_NAMES = ("iOS 17.1.2", "Android 14", "HarmonyOS 4.0", "Windows 11", "macOS 14.2")
RELATIONS = ("父亲", "母亲", "配偶", "朋友", "同事", "子女")
CHANNELS = ("在线客服", "电话", "APP", "小程序", "邮件")
TICKET_CATEGORIES = ("物流", "退款", "发票", "账户安全", "实名认证", "支付异常", "投诉")
AGENT_GROUPS = ("售后一组", "售后二组", "风控组", "VIP专线")
SEGMENTS = ("高消费", "新客", "母婴人群", "汽车兴趣", "游戏玩家", "学生")
PAY_CHANNELS = ("UNIONPAY", "WECHAT_PAY", "ALIPAY", "CREDIT_CARD")

Templates = list[list[tuple[str, str]]]  # (entity or "", pool name) per slot; ("", text) literal


def _templates(*sources: str) -> Templates:
    """'text {ENTITY} {ENTITY:pool} {pool}' -> pieces; an ENTITY slot is PI and gets a span."""
    parsed = []
    for source in sources:
        pieces: list[tuple[str, str]] = []
        for i, part in enumerate(re.split(r"\{([A-Za-z0-9_:]+)\}", source)):
            if i % 2 == 0:
                if part:
                    pieces.append(("", part))
                continue
            entity, _, pool = part.partition(":")
            if entity in pv.PI_GENERATORS:
                pieces.append((entity, pool or entity))
            else:
                pieces.append(("\0", entity))  # neutral slot
        parsed.append(pieces)
    return parsed


TICKET_PI = _templates(
    "您好，我的订单{order_no}一直没发货，收货人{CN_PERSON_NAME}，手机{CN_MOBILE}，地址{CN_ADDRESS}，麻烦尽快处理",
    "客户来电反映银行卡号{CN_BANK_CARD}被重复扣款{price}元，身份证号{CN_RESIDENT_ID}，联系人{CN_PERSON_NAME}电话{CN_LANDLINE}",
    "用户{CN_PERSON_NAME}申请更换绑定手机，原号码{CN_MOBILE}新号码{CN_MOBILE}，已核验身份证{CN_RESIDENT_ID}",
    "请开具增值税专用发票，抬头{company}，统一社会信用代码{CN_USCC}，发票发送至邮箱{EMAIL}谢谢",
    "旅客{CN_PERSON_NAME}护照号{CN_PASSPORT}，航班改签后请联系{CN_MOBILE}",
    "车主{CN_PERSON_NAME}车牌{CN_LICENSE_PLATE}投诉ETC重复扣费，车架号{VIN}",
    "港澳通行证{CN_HK_MACAU_PERMIT}办理进度查询，申请人{CN_PERSON_NAME}出生日期{DATE_OF_BIRTH}",
    "台胞证号{CN_TAIWAN_PERMIT}的客户{CN_PERSON_NAME}无法实名认证，台湾身份证{TW_ID}",
    "香港客户{CN_PERSON_NAME}身份证号{HK_ID}，联系电话{CN_MOBILE}",
    "澳门居民身份证{MO_ID}核验失败，请人工处理",
    "加我微信{WECHAT_ID}或者QQ{QQ}沟通，退款退到支付宝{ALIPAY_ID}",
    "设备IMEI{IMEI}登录异常，登录IP{IPV4}，MAC地址{MAC}",
    "用户IPv6地址{IPV6}频繁请求，最后定位{GEO_COORD}",
    "生日{DATE_OF_BIRTH}，身份证号码：{CN_RESIDENT_ID}，请核对",
    "收件人：{CN_PERSON_NAME}；电话：{CN_MOBILE}；收货地址：{CN_ADDRESS}。",
    "快递员联系不上{CN_PERSON_NAME}（{CN_MOBILE}），包裹放在{CN_ADDRESS}门卫处",
    "我是{CN_PERSON_NAME}，卡号{CN_BANK_CARD}的信用卡被盗刷了",
    "联系人{CN_PERSON_NAME}手机{CN_MOBILE}身份证号{CN_RESIDENT_ID}卡号{CN_BANK_CARD}",
    "公司税号{CN_USCC}，开户行{bank}，账号{CN_BANK_CARD}",
    "{CN_PERSON_NAME}的手机号是{CN_MOBILE}，请尽快回电",
    "您好{CN_PERSON_NAME}，您的验证码已发送至{CN_MOBILE}，5分钟内有效",
    "{CN_PERSON_NAME}，女，出生日期{DATE_OF_BIRTH}，身份证号{CN_RESIDENT_ID}",
    "请将发票寄给{CN_PERSON_NAME}，邮箱{EMAIL}",
    "{CN_PERSON_NAME}驾驶车牌{CN_LICENSE_PLATE}的车辆于今日进入园区",
    "由{CN_PERSON_NAME}负责跟进，回访电话{CN_MOBILE}",
    "审批人：{CN_PERSON_NAME}，报销卡号{CN_BANK_CARD}",
    "周末在家，请回电{CN_MOBILE}",
    "负责人：张经理，电话{CN_MOBILE}",
    "{CN_PERSON_NAME}，您好！您的快递已到驿站，取件请报手机尾号",
    "经理{CN_PERSON_NAME}已批准退款，请{CN_PERSON_NAME}老师留意到账",
)
TICKET_NEUTRAL = _templates(
    "订单{order_no}已于{date_text}发货，快递单号{waybill}，预计三天内送达",
    "商品{product}库存不足，SKU编号{sku}，条码{ean13}",
    "退款金额{price}元已原路退回，交易流水号{order_no}",
    "客户端版本{version}，时间戳{epoch_ms}，请求ID{uuid}",
    "您好，请问{product}什么时候补货？",
    "已为您加急处理，工单优先级：高",
    "签名校验失败，摘要{md5}",
    "页面加载缓慢，traceparent={traceparent}",
    "手机号{masked}的用户已完成实名",
    "物流单号{waybill}显示已签收但客户未收到",
    "优惠券{sku}无法使用，订单金额{price}",
    "错误码E{n}，请稍后重试，参考号{bad_mobile}",
    "卡号{card_luhn_fail}校验未通过，请核对后重新输入",
    "证件号{ric_bad_check}格式错误",
    "身份证号{ric_bad_date}出生日期无效，请重新上传",
    "车架号{vin_bad_check}与行驶证不符，已驳回",
    "香港身份证{hkid_bad_check}校验不通过",
    "台湾身份证{twid_bad_check}校验位错误",
    "周末的电话会议改到{date_text}，订单{order_no}",
    "申通的电话一直打不通，快递单号{waybill}",
    "您好高级会员，{product}今日特价",
    "适用人：全体员工，{product}限时领取",
    "商家，您好！{product}的用户满意度调查已开始，项目经理会联系您",
)
REMARK_PI = _templates(
    "送货前请先打电话{CN_MOBILE}", "放快递柜，联系人{CN_PERSON_NAME}", "发票邮箱{EMAIL}",
    "麻烦开发票，税号{CN_USCC}", "收货人{CN_PERSON_NAME}{CN_MOBILE}", "改地址：{CN_ADDRESS}",
    "备用电话{CN_LANDLINE}", "加微信{WECHAT_ID}联系", "身份证{CN_RESIDENT_ID}报关用",
)
REMARK_NEUTRAL = _templates(
    "尽快发货，谢谢", "不要放快递柜", "周末送货", "请开发票", "礼品包装，不要放价格单",
    "{product}要黑色的", "订单{order_no}合并发货", "到了打电话", "优惠码{sku}",
)
LOG_PI = _templates(
    "{ts} INFO [{svc}] [traceId={trace_id}] c.s.order.OrderController - create order "
    "orderNo={order_no} mobile={CN_MOBILE} ip={IPV4} cost={n}ms",
    '{IPV4} - - [{clf_ts}] "GET /api/v1/user/verify?idNo={CN_RESIDENT_ID}&email={EMAIL} HTTP/1.1" '
    '200 {n} "-" "{ua}" rt=0.{n}',
    "{ts} WARN [{svc}] 实名认证失败 姓名={CN_PERSON_NAME} 身份证={CN_RESIDENT_ID} "
    "原因=姓名与身份证号不一致 requestId={uuid}",
    "{ts} ERROR [{svc}] card={CN_BANK_CARD:card_digits} bin check failed email={EMAIL} mac={MAC}",
    '{ts} DEBUG [{svc}] device imei={IMEI} ipv6={IPV6} ua="{ua}"',
    "{ts} INFO [{svc}] push sms to={CN_MOBILE:mobile_digits} content=尊敬的{CN_PERSON_NAME}，"
    "您的验证码为{n}",
    "{ts} INFO [{svc}] geo report uid={n} loc={GEO_COORD} plate={CN_LICENSE_PLATE}",
)
LOG_NEUTRAL = _templates(
    "{ts} INFO [{svc}] [traceId={trace_id}] GET /api/v1/items/{sku} 200 cost={n}ms",
    "{ts} INFO [{svc}] heartbeat ok version={version} ts={epoch_ms}",
    "{ts} WARN [{svc}] slow query order_no={order_no} waybill={waybill} elapsed={n}ms",
    "{ts} INFO [{svc}] cache miss key=sku:{sku} md5={md5} traceparent={traceparent}",
)

USER_AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 MicroMessenger/8.0.44(0x18002c2f) NetType/WIFI Language/zh_CN",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:1.9.6.20) Gecko/20100101 Firefox/45.0",
    "Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 "
    "MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/5G Language/zh_CN",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
    "okhttp/4.12.0", "Dalvik/2.1.0 (Linux; U; Android 13; 22081212C Build/TKQ1.220829.002)",
    "AlipayClient/10.5.36.8000 Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00)",
)
_PRODUCT_ADJ = (
    "2024新款", "加厚", "纯棉", "无线", "智能", "大容量", "轻薄", "防水", "便携式", "家用", "进口",
    "有机",
)
_PRODUCT_NOUN = (
    "蓝牙耳机", "保温杯", "T恤", "羽绒服", "电饭煲", "扫地机器人", "充电宝", "运动鞋", "机械键盘",
    "面霜", "猫粮", "儿童绘本", "洗衣液", "空气炸锅",
)
_PRODUCT_SPEC = (
    "500ml", "XL码", "黑色", "64GB", "三件套", "10000mAh", "5kg", "礼盒装",
)
_DESC = (
    "采用优质材料，做工精细，经久耐用", "支持七天无理由退换货", "全国联保一年，售后无忧",
    "多色可选", "适合日常通勤与户外运动", "精选新疆长绒棉，亲肤透气",
    "产品尺寸约30x20x10cm，重量约1.2kg", "下单后48小时内发货，偏远地区除外", "请以收到的实物为准",
    "本店所有商品均为正品，假一赔十", "温馨提示：收到货后请先检查外包装",
    "容量大，续航时间长，支持快充", "食品级材质，安全无异味", "如有质量问题请联系在线客服",
    "第二件半价，限时优惠", "会员积分可抵扣现金",
)
_COMPANY = (["云栖", "华创", "锦程", "远航", "博瑞", "天衡", "星河", "恒信", "凯达", "鼎盛"],
            ["科技", "网络", "电子商务", "贸易", "物流", "信息技术", "文化传媒"])
_FILLER_FIXED: dict[str, tuple[str, ...]] = {
    "carrier": ("顺丰速运", "中通快递", "圆通速递", "京东物流", "韵达快递", "EMS"),
    "bank": ("中国工商银行", "招商银行", "中国建设银行", "中国农业银行", "交通银行", "中国银行",
             "浦发银行", "平安银行"),
    "svc": ("order-svc", "pay-gateway", "user-center", "risk-engine", "im-push", "geo-tracker"),
    "ua": USER_AGENTS,
}


def _product(rng: random.Random) -> str:
    return rng.choice(_PRODUCT_ADJ) + rng.choice(_PRODUCT_NOUN) + rng.choice(_PRODUCT_SPEC)


def _description(rng: random.Random, sentences: int) -> str:
    return "".join(rng.choice(_DESC) + rng.choice("，。") for _ in range(sentences))


def _timestamp(rng: random.Random) -> str:
    t = 1_700_000_000 + rng.randrange(60_000_000)
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t)) + f".{rng.randrange(1000):03d}"


def filler_pools(rng: random.Random, size: int) -> dict[str, list[str]]:
    """Neutral values: never PI, some of them hard negatives for a naive detector."""
    pools = {name: list(values) for name, values in _FILLER_FIXED.items()}
    pools["company"] = [rng.choice(_COMPANY[0]) + rng.choice(_COMPANY[1]) + "有限公司"
                        for _ in range(64)]
    pools["nickname"] = [rng.choice(("快乐小猪", "阳光男孩", "momo", "Lucky", "吃货一枚", "小鱼儿"))
                         + str(rng.randint(1, 999)) for _ in range(64)]
    pools["product"] = [_product(rng) for _ in range(size)]
    pools["ts"] = [_timestamp(rng) for _ in range(size)]
    pools["clf_ts"] = [time.strftime("%d/%b/%Y:%H:%M:%S +0800",
                                     time.gmtime(1_700_000_000 + rng.randrange(60_000_000)))
                       for _ in range(size)]
    pools["date_text"] = [t[:10] for t in pools["ts"]]
    pools["n"] = [str(rng.randint(1, 4999)) for _ in range(size)]
    pools["mobile_digits"] = [pv.mobile_digits(rng) for _ in range(size)]
    pools["card_digits"] = [pv.bank_card_digits(rng) for _ in range(size)]
    return pools


def item_pools(rng: random.Random, negatives: dict[str, list[str]], size: int
               ) -> tuple[list[PoolItem], list[PoolItem]]:
    """(item, JSON size, ASCII-escaped JSON size): small items and ones with long descriptions."""
    def item(sentences: int) -> PoolItem:
        sku = rng.choice(negatives["sku"])
        body: dict[str, Any] = {
            "sku_id": int(sku) if sku.isdigit() else sku, "title": _product(rng),
            "price": rng.choice(negatives["price"]).lstrip("¥￥"), "qty": rng.randint(1, 5),
            "ean": rng.choice(negatives["ean13"]),
            "img": f"https://img.example.cn/{rng.choice(negatives['md5'])}.jpg"}
        if sentences:
            body["desc"] = _description(rng, sentences)
        return NeutralItem(body), len(dumps(body, False)), len(dumps(body, True))
    small = [item(rng.choice((0, 0, 1, 2, 4))) for _ in range(size)]
    big = [item(rng.randint(20, 60)) for _ in range(max(16, size // 8))]
    return small, big


def log_padding_pool(rng: random.Random, negatives: dict[str, list[str]], size: int
                     ) -> list[tuple[str, int]]:
    """key=value fragments appended to log lines: (fragment, UTF-8 size)."""
    makers: list[Callable[[], str]] = [
        lambda: f"sku={rng.choice(negatives['sku'])}", lambda: f"cost={rng.randint(1, 900)}ms",
        lambda: f"span_id={rng.choice(negatives['trace_id'])[:16]}",
        lambda: f'ua="{rng.choice(USER_AGENTS)}"',
        lambda: f"ts={rng.choice(negatives['epoch_ms'])}",
        lambda: f"version={rng.choice(negatives['version'])}",
        lambda: f'msg="{_description(rng, rng.randint(2, 12))}"',
        lambda: f"order_no={rng.choice(negatives['order_no'])}",
        lambda: f"waybill={rng.choice(negatives['waybill'])}",
        lambda: f"amount={rng.choice(negatives['price'])}",
    ]
    fragments = [rng.choice(makers)() for _ in range(size)]
    return [(f, len(f.encode())) for f in fragments]


if __name__ == "__main__":
    main()
