"""Span refiners: where a pattern can find an entity but not fix its extent by itself.

Each takes the leaf text, the rule's candidates in that leaf (Hyperscan reports every end position)
and whether the leaf's JSON key names the entity; it returns the final spans.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date
from typing import NamedTuple, Protocol

from firewall.checksums import birth_date
from firewall.checksums.cn_given_name import GIVEN_NAME_CHARS


class _Span(Protocol):
    start: int
    end: int
    cue_end: int | None


# Characters that end a Chinese given name in running text rather than belong to it: honorifics,
# particles, verbs and the first characters of the cue words that usually follow a name.
_NAME_STOP = set(
    "先女小同老您你的在已说电手身地住收联，。、是和与及等请将于从到给叫也都就还要会为对把被让向"
    "号卡证码邮微账户订单反投退发买购取送来去打签申办患病医家父母儿子爸妈哥姐弟妹夫妻经理总"
    "车致于咨询问表称需想因由所曾被无出护话机处了"
)
_MAX_NAME_GAP = 3  # characters between a cue word (收货人：) and the name
# Cue words that follow a name instead of preceding it: honorifics (刘桂英先生), greetings
# (张华您好) and 同学. So does every cue word that opens with punctuation or 的: the sex in a
# résumé line (王洁，男，), a separator and the first digits of a phone number (张三 138…), a
# possessive of a number the person has (王芳的手机号); the last two count only where the text
# holds such a number, since brands take possessives too (苏宁的电话).
_GREETINGS = ("您好", "你好")
_ADDRESSING = ("先生", "女士", "小姐", *_GREETINGS)
# Titles on either side of a full name: 张伟老师, 经理符淑华. After a surname alone they make no
# name (张经理, 王总, 李老师).
_TITLES_AROUND_NAMES = ("老师", "经理", "总经理", "医生", "律师", "教授", "主任", "总监", "同志")
_TITLES = (*_TITLES_AROUND_NAMES, "主管", "师傅", "老板", "总")
_FOLLOWING_WORDS = (*_ADDRESSING, "同学", *_TITLES_AROUND_NAMES)
_FOLLOWING_OPENERS = frozenset("，,、:：;；(（ 的")


class _CueRoles(NamedTuple):
    following: tuple[str, ...]  # cue words that follow names
    colon: tuple[str, ...]  # one character and a colon (审批人：, 操作员:): they say less
    naming: tuple[str, ...]  # the other cue words before a name (收货人, 尊敬的, 经理)
    only_following: tuple[str, ...]  # no name follows these (张先生和李女士: 和李 is none)
    latin: tuple[str, ...]  # English cue words (dear, customer), lower case


def _cue_roles(cue_words: tuple[str, ...]) -> _CueRoles:
    """A rule's cue words by role; worked out once per rule, not per leaf (a rule names up to a
    few hundred cue words)."""
    roles = _ROLES_OF.get(cue_words)
    if roles is None:
        following = tuple(w for w in cue_words if w in _FOLLOWING_WORDS or w[:1] in _FOLLOWING_OPENERS)
        colon = tuple(w for w in cue_words if len(w) == 2 and w[1] in "：:" and w not in following)
        naming = tuple(
            w for w in cue_words if (w not in following or w in _TITLES_AROUND_NAMES) and w not in colon
        )
        only_following = tuple(w for w in following if w not in naming)
        latin = tuple(w.lower() for w in naming if w[:1].isascii() and w[:1].isalpha())
        roles = _ROLES_OF[cue_words] = _CueRoles(following, colon, naming, only_following, latin)
    return roles


_ROLES_OF: dict[tuple[str, ...], _CueRoles] = {}
_GENERIC_CUES = (
    "用户", "顾客", "客户", "学生", "员工", "家长", "业主", "乘客", "旅客", "住客", "租客", "买家",
    "卖家", "恭喜", *_TITLES_AROUND_NAMES,
)
_NOT_GIVEN_OPENERS = (*_FOLLOWING_WORDS, *_TITLES)


_CLAUSE_ENDS = set("，,。.！!？?、；;：: ")
# Middle dots joining the parts of an ethnic-minority name (U+00B7, U+2022, U+30FB).
_NAME_DOTS = "·•・"
# After such a dot the given name is a transliteration: 买 (buy) opens 买买提 and 买合木提 there,
# 都 (all) is inside 阿布都拉.
_DOT_NAME_STOP = _NAME_STOP - set("买都")


def stripped_bounds(text: str) -> tuple[int, int]:
    start = len(text) - len(text.lstrip())
    return start, len(text.rstrip())


def refine_person_name(
    text: str, candidates: Sequence[_Span], keyed: bool, cue_words: Collection[str]
) -> list[tuple[int, int]]:
    """A keyed leaf must be the name alone; in running text the name starts right after a cue word,
    or ends right before a cue word that follows names (先生, 您好, 同学, ，男，, 的手机…).

    Of the candidates after one cue, only those starting where the name starts (the cue's end, past
    a colon or space) count; the name ends before the first stop character of its given name.
    """
    if keyed:
        lo, hi = stripped_bounds(text)
        if any(c.start == lo and c.end == hi for c in candidates):
            return [(lo, hi)]
    roles = _cue_roles(tuple(cue_words))
    following = roles.following
    spans = _names_before_cues(text, candidates, following) if following else []
    for start, ends in _name_ends_after_cues(text, candidates, roles).items():
        # A surname and an honorific or a title is no name (尊敬的用户王先生: 王先生 is not 王 +
        # 先生 as given name; 负责人：张经理).
        if text[start : start + 2] in _NOT_NAMES or text.startswith(_NOT_GIVEN_OPENERS, start + 1):
            continue
        space = text.find(" ", start, max(ends))
        if space >= 0:
            if text[start:space] not in cue_words:
                spans.extend(_given_first_name(text, start, space, ends, following))
            continue
        # The given name ends before the first stop character after its first character (after
        # the middle dot for minority names): 胡泽车牌 → 胡泽, 古丽·司马义申请 → 古丽·司马义.
        dot = next((at for at in range(start, max(ends)) if text[at] in _NAME_DOTS), -1)
        cut_from, stops = (dot + 2, _DOT_NAME_STOP) if dot >= 0 else (start + 2, _NAME_STOP)
        chosen = max((e for e in ends if not any(ch in stops for ch in text[cut_from:e])), default=None)
        if chosen is not None and chosen - start >= 2:
            spans.append((start, chosen))
    return spans


def _name_ends_after_cues(text: str, candidates: Sequence[_Span], roles: _CueRoles) -> dict[int, list[int]]:
    """Where a name may start right after a cue word (past separators), and the candidates'
    ends from there."""
    following = roles.following
    ends_at: dict[int, list[int]] = {}
    for c in candidates:
        if c.cue_end is None:
            continue
        # A following cue ends the name before it (张先生和李女士: 和李 follows 先生 but is no name);
        # a greeting may open it too, as SMS templates write it (您好李荣，您的验证码…), if the
        # name ends a clause or takes an honorific (您好高级会员 is no greeting of 高级).
        if text.endswith(_GREETINGS, 0, c.cue_end):
            if not (_ends_clause(text, c.end) or text.startswith(following, c.end)):
                continue
            if not _ends_as_given_name(text, c.start, c.end):
                continue  # 您好商家，您好王总，
        elif text.endswith(roles.only_following, 0, c.cue_end):
            continue
        name_start = _skip_separators(text, c.cue_end)
        if name_start - c.cue_end > _MAX_NAME_GAP:
            continue
        if _unlike_name_after_cue(text, c, c.cue_end, name_start, roles):
            continue
        if c.start == name_start or (c.start < name_start and _has_name_dot(text, name_start, c.end)):
            ends_at.setdefault(name_start, []).append(c.end)
    return ends_at


def _unlike_name_after_cue(text: str, c: _Span, cue_end: int, name_start: int, roles: _CueRoles) -> bool:
    """Cue words that say less than 收货人 let only a span that ends as names do follow them:
    - an English word, which greets or addresses more than names (Hi 高级会员, Hi Long time no
      see): a romanised name is capitalised (Dear Li Na);
    - one character and a colon alone (审批人：, 操作员:): 审批人：周建华, not 适用人：全体员工;
    - a word for people in general right before the span, which opens everyday words too
      (用户高度评价, 顾客满意度, 老师谈话), unless an honorific follows.
    A Chinese name ends as given names do, or is joined by a middle dot (审批人：艾力·托合提)."""
    if roles.latin and text[max(0, cue_end - 16) : cue_end].lower().endswith(roles.latin):
        if _is_han(text[c.end - 1]):
            return not _ends_as_given_name(text, c.start, c.end)
        return not all(word[:1].isupper() for word in text[c.start : c.end].split())
    if _ends_as_given_name(text, c.start, c.end):
        return False
    colon_alone = (
        bool(roles.colon)
        and text.endswith(roles.colon, 0, cue_end)
        and not text.endswith(roles.naming, 0, cue_end - 1)
    )
    generic = (
        name_start == cue_end
        and text.endswith(_GENERIC_CUES, 0, cue_end)
        and not text.startswith(roles.following, c.end)
    )
    return colon_alone or generic


def _ends_as_given_name(text: str, start: int, end: int) -> bool:
    """The span ends on a given-name character, or is a name joined by a middle dot (its given
    name a transliteration)."""
    return text[end - 1] in GIVEN_NAME_CHARS or _has_name_dot(text, start, end)


def _ends_clause(text: str, position: int) -> bool:
    return position == len(text) or text[position] in _CLAUSE_ENDS


def _given_first_name(
    text: str, start: int, space: int, ends: Sequence[int], following: tuple[str, ...]
) -> list[tuple[int, int]]:
    """A name written given name first after a cue word (收货人：承檄 王，电话…): the given name holds
    no stop character after its first, and the surname ends the word (punctuation, a stop character
    or an honorific follows it), so 收货人：张伟 王芳 is no given-first name."""
    if any(ch in _NAME_STOP for ch in text[start + 1 : space]):
        return []
    whole = [
        e
        for e in ends
        if not _is_han(text[e : e + 1]) or text[e] in _NAME_STOP or text.startswith(following, e)
    ]
    return [(start, max(whole))] if whole else []


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fa5"


def _has_name_dot(text: str, start: int, end: int) -> bool:
    return any(dot in text[start:end] for dot in _NAME_DOTS)


def _names_before_cues(
    text: str, candidates: Sequence[_Span], following: tuple[str, ...]
) -> list[tuple[int, int]]:
    """Names that a following cue follows: 刘桂英先生您好 → 刘桂英, 尊敬的王芳女士 → 王芳.

    Every surname inside the name starts a candidate (刘桂英, 桂英); the name is the longest one
    that starts where a word can start (the text's start, punctuation, a space or a stop character
    such as 的 or 请) and whose given name holds no stop character. A surname that is also a stop
    character (和, 向) yields to a candidate right after it: 你和王芳女士 → 王芳, but 和珅先生 → 和珅.
    """
    starts_by_end: dict[int, set[int]] = {}
    for c in candidates:
        # Given-name-first names (承檄 王) are taken after a preceding cue only: before an
        # honorific, 尊敬的顾客 李女士 would read as one.
        if c.cue_end is None and text.startswith(following, c.end) and " " not in text[c.start : c.end]:
            starts_by_end.setdefault(c.end, set()).add(c.start)
    spans = []
    for end, starts in starts_by_end.items():
        # An honorific or a greeting says a person is meant; the other following cues say less
        # (房主，男，), so there the name must end as given names do.
        if not text.startswith(_ADDRESSING, end) and text[end - 1] not in GIVEN_NAME_CHARS:
            continue
        for start in sorted(starts):
            if text[start] in _NAME_STOP and start + 1 in starts:
                continue
            before = text[start - 1] if start > 0 else ""
            word_starts = not _is_han(before) or before in _NAME_STOP
            stops = _DOT_NAME_STOP if _has_name_dot(text, start, end) else _NAME_STOP
            stopped = _given_name_stopped(text[start + 1 : end], stops)
            if word_starts and not stopped and text[start : start + 2] not in _NOT_NAMES:
                spans.append((start, end))
                break
    return spans


# Single-character surnames that are far more often words at the start of a clause (于是, 时间,
# 由于, 那么, 全部, 文件, 成功, 国际, 应该…), in simplified and traditional script.
_WORDLIKE_SURNAMES = set("于於时時由那全文成简簡来來其国國应應")
# Two characters ending in 国 or 北 name a state or a region far more often (赵国, 冀北), and so
# does a numeral before 国 (秦、赵、燕三国).
_PLACE_ENDINGS = set("国國北")
_NUMERALS = set("一二三四五六七八九十两兩")


def refine_subject_name(
    text: str, candidates: Sequence[_Span], keyed: bool, cue_words: Collection[str]
) -> list[tuple[int, int]]:
    """Names opening a clause in a text that holds other PI (王芳住在…, 张伟，身份证…): the rule's
    clause boundary has placed each candidate between punctuation, a space or a word that opens a
    name, and punctuation or the first character of a verb. The given name holds no stop character
    and ends as given names do (a name joined by a middle dot holds no stop character in either
    part); of two lengths, the longer is taken."""
    ends_by_start: dict[int, list[int]] = {}
    for c in candidates:
        ends_by_start.setdefault(c.start, []).append(c.end)
    spans = []
    for start, ends in ends_by_start.items():
        if text[start] in _WORDLIKE_SURNAMES or text[start : start + 2] in _NOT_NAMES:
            continue
        chosen = None
        for end in sorted(ends):
            if _has_name_dot(text, start, end):  # 阿依·热合曼: no stop character in either part
                if not any(ch in _DOT_NAME_STOP for ch in text[start:end]):
                    chosen = end
                continue
            if _given_name_stopped(text[start + 1 : end], _NAME_STOP):
                break
            if text[end - 1] not in GIVEN_NAME_CHARS:
                continue
            if text[end - 1] in _PLACE_ENDINGS and (end - start == 2 or text[end - 2] in _NUMERALS):
                continue
            chosen = end
        if chosen is not None:
            spans.append((start, chosen))
    return spans


# In English text a Chinese name stands out: a Han run of its own among Latin words. The text's Han
# runs must all be this short and its Latin letters at least as many as its Han characters, so
# that Chinese text with an English word in it (使用 iPhone 的用户) gives no such names.
_LATIN_TEXT_MAX_HAN_RUN = 4
_HAN_RUN = re.compile("[\u4e00-\u9fa5]+")


def refine_latin_text_name(
    text: str, candidates: Sequence[_Span], keyed: bool, surnames: Collection[str]
) -> list[tuple[int, int]]:
    """Chinese names in English text (Thanks 薛小红!, 郭波 will pick up the package): each candidate
    holds a Han run and, on one side, a space and a Latin word (the rule's expressions consume
    them). The name is the whole run: it opens with a surname (``surnames``: the rule's lexicon, a
    set built once),
    its given name holds no stop character and ends as given names do, and the text is mostly
    Latin."""
    spans: set[tuple[int, int]] = set()
    checked = False
    for c in candidates:
        start, end = c.start, c.end
        while start < end and not _is_han(text[start]):
            start += 1
        while end > start and not _is_han(text[end - 1]):
            end -= 1
        if (start > 0 and _is_han(text[start - 1])) or (end < len(text) and _is_han(text[end])):
            continue  # part of a longer Han run
        if end - start > _LATIN_TEXT_MAX_HAN_RUN or not all(_is_han(ch) for ch in text[start:end]):
            continue
        surname = 2 if text[start : start + 2] in surnames else 1
        if end - start <= surname or (surname == 1 and text[start] not in surnames):
            continue
        if text[start] in _WORDLIKE_SURNAMES or text[start : start + 2] in _NOT_NAMES:
            continue
        given = text[start + surname : end]
        if given[-1] not in GIVEN_NAME_CHARS or _given_name_stopped(given, _NAME_STOP):
            continue
        if not checked:
            if not _mostly_latin(text):
                return []
            checked = True
        spans.add((start, end))
    return sorted(spans)


def _mostly_latin(text: str) -> bool:
    runs = [len(run) for run in _HAN_RUN.findall(text)]
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return max(runs, default=0) <= _LATIN_TEXT_MAX_HAN_RUN and latin >= sum(runs)


def _given_name_stopped(given: str, stops: set[str]) -> bool:
    """Whether a given name holds a stop character; 小 opens many given names (王小红), so it is a
    stop character only further on."""
    return (given[:1] != "小" and given[:1] in stops) or any(ch in stops for ch in given[1:])


def _skip_separators(text: str, position: int) -> int:
    while position < len(text) and text[position] in ":：=， \t\"'":
        position += 1
    return position


# Words that start like a surname + given name but are verbs, nouns or cities: 申请 (apply), 成功,
# 金华 (the city).
_NOT_NAME_WORDS = """
方式 师傅 申请 成功 完成 实名 无法 出现 于是 由于 可以 需要 希望 表示 已经
正在 通过 关于 安装 安全 明天 时间 方便 华为 任何 全部 平台 程序
房间 支付 信息 金额 余额 温馨 高兴 万一 常见 江湖 钱包 包裹 邮件
来电 来信 来访 关系 陈述 沈阳 武汉 宁波 黄金 白色 黑色 蓝色 红色
金色 马上 向您 于今 于本 和您 和我 吉利 明确 粘贴 苏宁 周一 周二 周三 周四 周五 周六 周日
但是 位置 全国 公司 包括 单位 原因 商品 国内 国家 国际 应用 应该 成为 支持 文件 方法
方面 时候 来源 来自 查看 游戏 相关 简介 管理 解决 计划 谢谢 那个 那么 那些 都是 项目
顾客 会员 同学 老师 读者 住户 护士 朋友 家人 智能 满意 中国 李宁 万达 平安 方正 高端
华东 华南 华北 华中 华西
房东 房主
金华 常德 安庆 吉林 黄山 南宁 南昌 南阳 唐山 咸阳 岳阳 衡阳 邵阳 信阳 安阳 濮阳 揭阳 湛江
曲靖 玉溪 桂林 龙岩 宁德 吉安 银川 乐山 盘锦 吕梁 晋江
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


# Characters an address is written with, and the tokens it may end on (a road, a number, a room);
# traditional forms too (鎮, 號, 樓: Taiwan and Hong Kong addresses).
_ADDRESS_CHARS = set("#-－()（）·/ ")
_ADDRESS_END_CHARS = set("路街道巷弄村镇乡组苑庄屯院鎮鄉")
# These end an address only after a number or a block letter (88号, A座, 5单元), never in 手机号.
_ADDRESS_UNIT_CHARS = set("号栋幢座楼层室號棟樓層")
_ADDRESS_END_WORDS = ("小区", "单元", "大厦", "花园", "公寓", "广场", "胡同", "大道", "中心")
_ADDRESS_MAX_CHARS = 60
# A room or unit number written without 室 right after a building or unit token (3栋905, 2单元
# 301, 8号楼1203): the whole number run, at most 6 characters, so a glued phone number is not one.
_ROOM_AFTER = ("栋", "幢", "座", "楼", "号", "单元", "棟", "樓", "號", "單元")
_ROOM_PART = r"(?:[0-9]{1,5}[A-Za-z]?|[A-Za-z][0-9]{1,5})"
_ROOM = re.compile(rf"{_ROOM_PART}(?:[-#]{_ROOM_PART}){{0,2}}(?:室|号|號|(?![0-9A-Za-z]))")
# Building-unit-room written with dashes (万科城22-5-2548) or building#room (2#847); the digits
# around it rule out dates and phone numbers.
_BUILDING_ROOM = re.compile(r"(?<![0-9\-－#])[0-9]{1,3}(?:[-－][0-9]{1,3}[-－]|#)[0-9]{2,5}(?![0-9\-－#])")
# Said after a cue word before the address itself (家住在, 地址在): not part of it.
_AFTER_CUE = "在"


def _is_address_char(char: str) -> bool:
    return _is_han(char) or (char.isascii() and char.isalnum()) or char in _ADDRESS_CHARS


def _grow_address(text: str, start: int, anchor_end: int, need_number: bool) -> int | None:
    """End of the address that starts at ``start``: its last address token, or None."""
    limit = min(len(text), start + _ADDRESS_MAX_CHARS)
    end: int | None = None
    seen_digit = False
    position = anchor_end
    while position < limit and _is_address_char(text[position]):
        char = text[position]
        position += 1
        seen_digit = seen_digit or char.isdigit()
        if (
            char in _ADDRESS_END_CHARS
            or (
                char in _ADDRESS_UNIT_CHARS
                and (
                    (text[position - 2].isascii() and text[position - 2].isalnum())
                    or text[position - 2] in _ADDRESS_UNIT_CHARS  # 3号楼, 5号院
                )
            )
            or text.endswith(_ADDRESS_END_WORDS, anchor_end, position)
        ) and (seen_digit or not need_number):
            end = position
    # A building-unit-room number ends an address too, wherever it lies within address characters.
    for number in _BUILDING_ROOM.finditer(text, anchor_end, position):
        end = max(end or 0, number.end())
    if end is None:
        return None
    if text.endswith(_ROOM_AFTER, anchor_end, end):
        room = _ROOM.match(text, end)
        if room is not None:
            end = room.end()
    return _with_postcode(text, end)


def _with_postcode(text: str, end: int) -> int:
    """Include a six-digit postcode written right after the address (``…8号 100022``)."""
    position = end + 1 if text[end : end + 1] in (" ", "，", ",") else end
    digits = text[position : position + 7]
    if len(digits) >= 6 and digits[:6].isdigit() and (len(digits) == 6 or not digits[6].isdigit()):
        return position + 6
    return end


def refine_address(
    text: str, candidates: Sequence[_Span], keyed: bool, cue_words: Collection[str]
) -> list[tuple[int, int]]:
    """Grow each anchor (a division name, or a cue word such as 地址：) to a whole address.

    A keyed leaf (``"address": ...``) holding any address token is one address as a whole. An anchor
    on a cue word, with no division name to vouch for it, must reach a house number.
    """
    if keyed and candidates:
        return [stripped_bounds(text)]
    spans: list[tuple[int, int]] = []
    for c in candidates:
        start, anchor_end, is_cue = c.start, c.end, text[c.start : c.end] in cue_words
        if is_cue:
            start = anchor_end = _skip_separators(text, anchor_end)
            if text.startswith(_AFTER_CUE, start):
                start = anchor_end = start + len(_AFTER_CUE)
        elif not cue_words and c.cue_end is not None and c.cue_end <= start:
            # A rule without cue words is cued by a key written in text (addr=北京市朝阳区…): an
            # anchor inside the value right after it (市) grows from the value's start.
            value_start = _skip_separators(text, c.cue_end)
            if all(_is_address_char(char) and char != " " for char in text[value_start:start]):
                start = value_start
        end = _grow_address(text, start, anchor_end, need_number=is_cue)
        if end is not None and end - start >= 4:
            spans.append((start, end))
    return _merge_spans(spans)


def refine_street_address(
    text: str, candidates: Sequence[_Span], keyed: bool, cue_words: Collection[str]
) -> list[tuple[int, int]]:
    """A road and house number with no division name before it (人民路735号): the address is
    grown from the road name itself over the building, unit and room that follow."""
    spans = []
    for c in candidates:
        if "第" in text[c.start : c.end]:
            continue  # 第一条3号: an article and item of a regulation
        if any(char in _DIVISION_ENDS for char in text[max(0, c.start - 8) : c.end]):
            continue  # 朝阳区建国路88号: a division name just before anchors the address (cn_address)
        # Where the road name starts is a guess: after the last word said before an address.
        start = c.start
        for at in range(c.start, c.end):
            if text[at] in _BEFORE_STREET:
                start = at + 1
        end = _grow_address(text, start, start, need_number=True)
        if end is not None and end >= c.end:
            spans.append((start, end))
    return _merge_spans(spans)


# Said before an address rather than part of its road name (请到文一西路969号, 寄到建国路88号).
_BEFORE_STREET = frozenset("到在往去至于从住是的了")
# The last characters of division names: an address holding one is anchored on its division.
_DIVISION_ENDS = frozenset("省市区县旗州")


def refine_whole_leaf(
    text: str, candidates: Sequence[_Span], keyed: bool, cue_words: Collection[str]
) -> list[tuple[int, int]]:
    """Keyed blobs (a face template under ``face_feature``) are reported as the whole value; after a
    cue word, as the whole run that the match begins (the rule matches only a blob's first
    characters, or a list's first numbers)."""
    if keyed and candidates:
        return [stripped_bounds(text)]
    return _merge_spans([(c.start, _run_end(text, c.start, c.end)) for c in candidates])


# Words 生 opens after a date when it does not mean "born": 生效 (takes effect), 生产 (made), ...
_NOT_BORN = frozenset("效产成活意命物长态")
_YEAR_MONTH = re.compile(r"((?:19|20)[0-9]{2})(?:年([0-9]{1,2})月|[-/.]([0-9]{1,2}))")


def refine_born_date(
    text: str, candidates: Sequence[_Span], keyed: bool, cue_words: Collection[str]
) -> list[tuple[int, int]]:
    """A date followed by 生, "born" (男，汉族，1963年5月生): the span is the date, where 生 opens
    no other word (2020年10月1日生效 takes effect) and the date is a possible birth date."""
    spans = []
    for c in candidates:
        end = c.end - 1  # the match ends with 生
        if text[c.end : c.end + 1] not in _NOT_BORN and _possible_birth_date(text[c.start : end]):
            spans.append((c.start, end))
    return _merge_spans(spans)


def _possible_birth_date(text: str) -> bool:
    """A whole birth date, or a year and month of birth not in the future."""
    if birth_date.is_valid(text):
        return True
    year_month = _YEAR_MONTH.fullmatch(text)
    if year_month is None:
        return False
    today = date.today()
    year, month = int(year_month[1]), int(year_month[2] or year_month[3])
    return 1 <= month <= 12 and (year, month) <= (today.year, today.month)


_BLOB_RUN = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_NUMBER_LIST_RUN = re.compile(r"[0-9.]*(?:[,，] ?-?[0-9]+(?:\.[0-9]+)?)*")


def _run_end(text: str, start: int, end: int) -> int:
    """Where the base64/hex run or the list of numbers that [start, end) begins ends."""
    numbers = "," in text[start:end] or "，" in text[start:end]
    run = (_NUMBER_LIST_RUN if numbers else _BLOB_RUN).match(text, end)
    return run.end() if run else end


def _merge_spans(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
