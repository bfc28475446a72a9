"""Valid personal-information values for every catalogue entity, and look-alikes that are not PI.

The check-digit algorithms are written here from the entity catalogue on purpose: the load test must
not share code with the engine's validators, or one bug would hide in both. Every generator takes a
`random.Random`, so a seed reproduces a corpus. Tables (region codes, BINs, WMIs, area codes) are
samples of real values chosen to look like real traffic, not complete lists.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import re
from collections.abc import Callable

Gen = Callable[[random.Random], str]

# --- tables -------------------------------------------------------------------------------------

PROVINCE_CODES = frozenset((
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82", "83",
))
# county-level codes in use today (GB/T 2260)
REGION_CODES = (
    "110101", "110105", "110108", "110114", "310101", "310104", "310115", "310112", "440103",
    "440106", "440305", "440304", "330106", "330102", "330110", "320102", "320506", "510104",
    "510107", "420102", "420111", "610113", "500103", "500112", "120101", "370102", "370202",
    "410105", "430104", "350203", "350102", "340104", "530102", "520102", "450103", "460106",
    "620102", "650102", "130102", "140105", "150102", "220102", "230103", "210102", "360102",
    "640104", "630102", "540102", "441900", "442000", "440604", "330203", "330302", "411625",
    "330782",
)
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150",
    "151", "152", "153", "155", "156", "157", "158", "159", "162", "165", "166", "167", "170",
    "171", "172", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184", "185",
    "186", "187", "188", "189", "190", "191", "192", "193", "195", "196", "197", "198", "199",
)
AREA_CODES = (
    "010", "020", "021", "022", "023", "024", "025", "027", "028", "029", "0571", "0755", "0512",
    "0531", "0532", "0731", "0371", "0551", "0591", "0592", "0871", "0851", "0771", "0898", "0931",
    "0991", "0311", "0351", "0471", "0431", "0451", "0791", "0951", "0971", "0891", "0769", "0757",
    "0574", "0577", "0760",
)
UNIONPAY_BINS = (
    "622202", "622848", "621700", "622588", "621483", "622700", "623668", "622609", "621661",
    "622262", "625906", "628288", "620522", "622155", "621226",
)
VISA_MC_BINS_CN = (
    "427020", "438088", "404119", "421349", "518710", "524047", "552599", "512431",
)
IMEI_TACS = (
    "86891203", "86753104", "35391110", "86970405", "35674108", "86107903", "86461305", "35209900",
)
VIN_WMIS = (
    "LSV", "LFV", "LGB", "LHG", "LVS", "LSG", "LBV", "LE4", "LRW", "LGX", "LB3", "LDC", "LGW",
)
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
VIN_YEARS = "ABCDEFGHJKLMNPRSTVWXY123456789"
DOC_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # letters without I and O
PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
IPV4_FIRST = (
    "36", "39", "42", "58", "59", "60", "61", "101", "106", "110", "111", "112", "113", "114",
    "115", "116", "117", "118", "119", "120", "121", "122", "123", "124", "125", "180", "182",
    "183", "202", "203", "210", "211", "218", "219", "220", "221", "222",
)
IPV6_PREFIXES = ("2408", "240e", "2409", "2001", "2400", "2402")
EMAIL_DOMAINS = (
    "qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "gmail.com", "outlook.com",
    "hotmail.com", "139.com", "aliyun.com", "yeah.net", "sohu.com",
)
PINYIN = (
    "zhang", "wang", "li", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma",
    "zhu", "hu", "guo", "he", "lin", "luo", "gao", "wei", "jun", "ming", "hua", "jing", "li", "na",
    "fang", "min", "jie", "qiang", "lei", "yan", "xin", "tao", "hao", "yu", "xiaoming", "dawei",
    "lili", "tingting", "yifan", "zihan", "haoran", "xinyi",
)
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
            "薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯")
GIVEN_CHARS = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红玉萍飞鹏辉"
               "晨浩宇轩子涵欣怡梓萱一诺雨泽思远佳琪文博俊熙嘉睿天佑瑶婷雪梅海燕春晓东"
               "亮宁凯鑫波斌健彬琳颖倩莉")
MINORITY_GIVEN = ("买买提", "艾力", "阿不都", "古丽", "热依拉", "迪丽热巴", "努尔", "阿依",
                  "吐尔逊", "帕提古丽", "艾合买提", "依明")
MINORITY_FAMILY = ("艾买提", "吐尔洪", "阿布都拉", "热合曼", "司马义", "玉素甫", "卡德尔", "托合提")
# (province or "" for municipalities, city, districts)
PLACES = (
    ("广东省", "深圳市", "南山区 福田区 宝安区 龙岗区"),
    ("广东省", "广州市", "天河区 越秀区 海珠区 番禺区"),
    ("浙江省", "杭州市", "西湖区 余杭区 滨江区 拱墅区"),
    ("江苏省", "南京市", "玄武区 鼓楼区 建邺区"), ("江苏省", "苏州市", "姑苏区 吴中区 相城区"),
    ("四川省", "成都市", "武侯区 锦江区 成华区 青羊区"),
    ("湖北省", "武汉市", "洪山区 江汉区 武昌区"), ("陕西省", "西安市", "雁塔区 碑林区 未央区"),
    ("山东省", "青岛市", "市南区 崂山区 黄岛区"), ("福建省", "厦门市", "思明区 湖里区 集美区"),
    ("河南省", "郑州市", "金水区 二七区 中原区"), ("湖南省", "长沙市", "岳麓区 天心区 芙蓉区"),
    ("辽宁省", "沈阳市", "和平区 沈河区 浑南区"), ("云南省", "昆明市", "五华区 盘龙区"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区 沙依巴克区"),
    ("广西壮族自治区", "南宁市", "青秀区 兴宁区"),
    ("", "北京市", "朝阳区 海淀区 东城区 西城区 丰台区 通州区"),
    ("", "上海市", "浦东新区 徐汇区 静安区 闵行区"), ("", "天津市", "和平区 南开区 滨海新区"),
    ("", "重庆市", "渝中区 江北区 渝北区"), ("河南省", "周口市", "郸城县 淮阳区"),
    ("浙江省", "金华市", "义乌市 婺城区"),
)
ROADS = (
    "建国路", "中山路", "人民路", "解放路", "科技园南路", "文三路", "长江路", "南京东路",
    "淮海中路", "天府大道", "深南大道", "建设路", "和平街", "解放大道", "光谷大道", "学院路",
    "东风路", "金融街", "滨江大道", "工农路", "幸福街", "五一路",
)
ESTATES = (
    "阳光花园", "华润城", "万科城", "锦绣江南", "翠苑小区", "金地名苑", "保利香槟国际", "世纪城",
    "龙湖天街", "碧桂园", "融创府", "绿城桂花园",
)
CITY_CENTRES = ((39.90, 116.40), (31.23, 121.47), (23.13, 113.26), (22.54, 114.06), (30.57, 104.07),
                (30.27, 120.16), (30.59, 114.31), (34.34, 108.94), (43.83, 87.62), (29.65, 91.14),
                (45.80, 126.53), (25.04, 102.71), (36.07, 120.38), (24.48, 118.09))
TOWNS = (
    "汲冢镇", "城关镇", "新华街道", "五常街道", "南湖街道", "石桥镇",
)


# --- check digits -------------------------------------------------------------------------------

_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_TW_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"  # a letter's value is its index + 10
_VIN_VALUES = dict(zip("0123456789ABCDEFGHJKLMNPRSTUVWXYZ",
                       [*range(10), *range(1, 9), *range(1, 6), 7, 9, *range(2, 10)], strict=True))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def ric_check_char(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a resident id (GB 11643-1999)."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, _RIC_WEIGHTS, strict=True)) % 11]


def luhn_check_digit(body: str) -> str:
    """The digit that makes `body + digit` pass Luhn."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)  # the check digit to come takes position 0
        total += d - 9 if d > 9 else d
    return str(-total % 10)


def luhn_ok(digits: str) -> bool:
    return len(digits) > 1 and digits.isdigit() and luhn_check_digit(digits[:-1]) == digits[-1]


def uscc_check_char(body17: str) -> str:
    """GB 32100-2015 check character over the 31-character alphabet."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714 organisation-code check: digits count as themselves, A-Z as 10-35."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w
                for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else str(check % 11)


def hkid_check_char(letters: str, digits6: str) -> str:
    """HKID: body left-padded to 8 with a space worth 36, weights 9..2; 10 is written A."""
    values = [36] * (2 - len(letters)) + [ord(c) - 55 for c in letters] + [int(d) for d in digits6]
    check = (11 - sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True)) % 11) % 11
    return "A" if check == 10 else str(check)


def twid_check_digit(body9: str) -> str:
    """TW id: letter value split into two digits, weights 1 9 8 7 6 5 4 3 2 1 (+1 for the check)."""
    value = _TW_LETTERS.index(body9[0]) + 10
    digits = [value // 10, value % 10, *(int(d) for d in body9[1:])]
    weights = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1)
    return str(-sum(d * w for d, w in zip(digits, weights, strict=True)) % 10)


def vin_check_char(vin17: str) -> str:
    """Position-9 check of a VIN (the character at index 8 has weight 0)."""
    remainder = sum(_VIN_VALUES[c] * w for c, w in zip(vin17, _VIN_WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def ric_is_valid(value: str) -> bool:
    """18 digits: known province, real date, MOD 11-2. 15-digit legacy: province and YYMMDD date."""
    value = value.upper()
    if len(value) == 18 and value[:17].isdigit():
        if ric_check_char(value[:17]) != value[17] or not _date_ok(value[6:14]):
            return False
        return value[:2] in PROVINCE_CODES or value[0] == "9"
    if len(value) == 15 and value.isdigit():
        return value[:2] in PROVINCE_CODES and _date_ok("19" + value[6:12])
    return False


def _date_ok(yyyymmdd: str) -> bool:
    try:
        dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return True


# --- identity documents -------------------------------------------------------------------------

def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choices("0123456789", k=n))


def birth_date(rng: random.Random, first_year: int = 1950, last_year: int = 2016) -> dt.date:
    start = dt.date(first_year, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(last_year, 12, 31).toordinal()))


def resident_id(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.04:
        return resident_id_legacy(rng)
    if roll < 0.07:  # residence permits of HK / Macau / Taiwan residents
        region = rng.choice(("810000", "820000", "830000"))
    elif roll < 0.09:  # 2023 permanent-residence card: 9, province, nationality
        region = "9" + rng.choice(("11", "31", "44")) + rng.choice(("840", "392", "410", "276"))
    else:
        region = rng.choice(REGION_CODES)
    body = region + birth_date(rng).strftime("%Y%m%d") + digits(rng, 3)
    check = ric_check_char(body)
    return body + ("x" if check == "X" and rng.random() < 0.1 else check)


def resident_id_legacy(rng: random.Random) -> str:
    born = birth_date(rng, 1930, 1998).strftime("%y%m%d")
    return rng.choice(REGION_CODES) + born + digits(rng, 3)


def passport(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return "E" + rng.choice(DOC_LETTERS) + digits(rng, 7)
    if roll < 0.75:
        return rng.choice("EG") + digits(rng, 8)
    if roll < 0.85:
        return rng.choice("DSP") + "E" + digits(rng, 7)
    return "K" + digits(rng, 8) if roll < 0.93 else "MA" + digits(rng, 7)


def hk_macau_permit(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:  # home-return permit of HK / Macau residents
        return rng.choice("HM") + digits(rng, 8) + (digits(rng, 2) if rng.random() < 0.5 else "")
    return "C" + digits(rng, 8) if roll < 0.6 else "C" + rng.choice(DOC_LETTERS) + digits(rng, 7)


def taiwan_permit(rng: random.Random) -> str:
    return digits(rng, 8)


def hk_id(rng: random.Random) -> str:
    letters = rng.choice(UPPER) + (rng.choice(UPPER) if rng.random() < 0.1 else "")
    body = digits(rng, 6)
    check = hkid_check_char(letters, body)
    return letters + body + (f"({check})" if rng.random() < 0.7 else check)


def mo_id(rng: random.Random) -> str:
    body = rng.choice("157") + digits(rng, 6)
    check = str(rng.randrange(10))  # the check algorithm is unpublished: any digit
    return body + (f"({check})" if rng.random() < 0.7 else check)


def tw_id(rng: random.Random) -> str:
    second = rng.choice("12") if rng.random() < 0.95 else rng.choice("89")
    body = rng.choice(_TW_LETTERS) + second + digits(rng, 7)
    return body + twid_check_digit(body)


def uscc(rng: random.Random) -> str:
    org = digits(rng, 8) if rng.random() < 0.6 else "MA" + "".join(rng.choices(USCC_ALPHABET, k=6))
    head = rng.choice(("91", "91", "91", "92", "93", "11", "12", "51", "52", "53"))
    body = head + rng.choice(REGION_CODES) + org + org_code_check_char(org)
    return body + uscc_check_char(body)


# --- phones, cards, devices ---------------------------------------------------------------------

def mobile_digits(rng: random.Random) -> str:
    if rng.random() < 0.02:
        return "1740" + rng.choice("012345") + digits(rng, 6)
    return rng.choice(MOBILE_PREFIXES) + digits(rng, 8)


def mobile(rng: random.Random) -> str:
    """Many spellings: plain, 3-4-4 with spaces or dashes, +86 / 0086 prefixes."""
    d = mobile_digits(rng)
    roll = rng.random()
    if roll < 0.55:
        return d
    if roll < 0.67:
        return f"{d[:3]} {d[3:7]} {d[7:]}"
    if roll < 0.77:
        return f"{d[:3]}-{d[3:7]}-{d[7:]}"
    if roll < 0.87:
        return "+86" + rng.choice(("", " ", "-")) + d
    if roll < 0.94:
        return f"+86 {d[:3]} {d[3:7]} {d[7:]}"
    return "0086" + rng.choice(("", " ")) + d


def landline(rng: random.Random) -> str:
    area = rng.choice(AREA_CODES)
    local = rng.choice("2345678") + digits(rng, 7 if len(area) == 3 or rng.random() < 0.6 else 6)
    if rng.random() < 0.08:
        return f"({area}){local}"
    return area + rng.choice(("-", "-", "-", " ", "")) + local


def bank_card_digits(rng: random.Random) -> str:
    if rng.random() < 0.75:
        bin_, length = rng.choice(UNIONPAY_BINS), rng.choice((16, 19, 19, 17, 18))
    else:
        bin_, length = rng.choice(VISA_MC_BINS_CN), 16
    body = bin_ + digits(rng, length - len(bin_) - 1)
    return body + luhn_check_digit(body)


def bank_card(rng: random.Random) -> str:
    d = bank_card_digits(rng)
    if rng.random() < 0.25:  # printed in groups of four
        return (" " if rng.random() < 0.8 else "-").join(d[i:i + 4] for i in range(0, len(d), 4))
    return d


def imei(rng: random.Random) -> str:
    body = rng.choice(IMEI_TACS) + digits(rng, 6)
    return body + luhn_check_digit(body)


def vin(rng: random.Random) -> str:
    head = rng.choice(VIN_WMIS) + "".join(rng.choices(VIN_CHARS, k=5))
    tail = rng.choice(VIN_YEARS) + rng.choice(VIN_CHARS) + digits(rng, 6)
    return head + vin_check_char(head + "0" + tail) + tail


def license_plate(rng: random.Random) -> str:
    head = rng.choice(PLATE_PROVINCES) + rng.choice(DOC_LETTERS)
    roll = rng.random()
    if roll < 0.15:  # new energy, small car
        tail = rng.choice("DF") + rng.choice(PLATE_CHARS) + digits(rng, 4)
    elif roll < 0.2:  # new energy, large vehicle
        tail = digits(rng, 5) + rng.choice("DF")
    else:
        tail = "".join(rng.choice(DOC_LETTERS) if rng.random() < 0.15 else rng.choice("0123456789")
                       for _ in range(5))
        if rng.random() < 0.03:
            tail = tail[:4] + rng.choice("挂学")
    return head + rng.choices(("", "·", "-", " "), weights=(80, 10, 6, 4))[0] + tail


# --- online identifiers -------------------------------------------------------------------------

def email(rng: random.Random) -> str:
    tail = rng.choice((rng.choice(PINYIN), str(rng.randint(1, 2024)), ""))
    local = rng.choice(PINYIN) + (rng.choice((".", "_", "")) if tail else "") + tail
    return local + "@" + rng.choice(EMAIL_DOMAINS)


def ipv4(rng: random.Random) -> str:
    if rng.random() < 0.25:
        prefix = rng.choice(("10.", "192.168.", "172.16."))
        rest = [str(rng.randint(0, 254)) for _ in range(4 - prefix.count("."))]
        rest[-1] = str(rng.randint(1, 254))
        return prefix + ".".join(rest)
    quad = (rng.choice(IPV4_FIRST), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
    return ".".join(map(str, quad))


def ipv6(rng: random.Random) -> str:
    groups = [rng.choice(IPV6_PREFIXES)] + [f"{rng.randrange(65536):x}" for _ in range(7)]
    if rng.random() < 0.35:  # compressed: two middle groups become ::
        cut = rng.randint(2, 5)
        return ":".join(groups[:cut]) + "::" + ":".join(groups[cut + 2:])
    text = ":".join(groups)
    return text.upper() if rng.random() < 0.1 else text


def mac(rng: random.Random) -> str:
    text = rng.choice((":", "-")).join(f"{rng.randrange(256):02x}" for _ in range(6))
    return text.upper() if rng.random() < 0.4 else text


def wechat_id(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "wxid_" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=14))
    name = rng.choice(PINYIN) + rng.choice(("", "_", "-")) + rng.choice(PINYIN)
    return (name + str(rng.randint(1, 9999)))[:20]


def qq(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, rng.randint(5, 9))


def alipay_id(rng: random.Random) -> str:
    return "2088" + digits(rng, 12)


# --- people, places, bodies ---------------------------------------------------------------------

def person_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.04:
        return rng.choice(MINORITY_GIVEN) + "·" + rng.choice(MINORITY_FAMILY)
    surname = rng.choice(COMPOUND_SURNAMES) if roll < 0.1 else rng.choice(SURNAMES)
    given = rng.choice(GIVEN_CHARS)
    return surname + given + (rng.choice(GIVEN_CHARS) if rng.random() < 0.6 else "")


def address(rng: random.Random) -> str:
    """Several shapes: full, municipality, no province, with 街道, rural, district only."""
    province, city, districts = rng.choice(PLACES)
    district = rng.choice(districts.split())
    road = f"{rng.choice(ROADS)}{rng.randint(1, 999)}号"
    room = f"{rng.randint(1, 32)}{rng.randint(1, 4):02d}室"
    building = f"{rng.randint(1, 30)}{rng.choice(('栋', '号楼', '幢'))}"
    unit = f"{rng.randint(1, 6)}单元" if rng.random() < 0.6 else ""
    shape = rng.randrange(6)
    if shape == 0:
        return f"{province}{city}{district}{road}{rng.choice(ESTATES)}{building}{unit}{room}"
    if shape == 1:
        return f"{province}{city}{district}{rng.choice(TOWNS)}{road}{building}{room}"
    if shape == 2:  # no province
        return f"{city}{district}{road}{rng.choice(ESTATES)}{building}{room}"
    if shape == 3:
        return f"{province}{city}{district}{road}{building}{unit}{room}"
    if shape == 4:  # rural
        village = f"{rng.choice(SURNAMES)}{rng.choice(('庄', '家村', '湾'))}"
        return f"{province}{city}{district}{rng.choice(TOWNS)}{village}{rng.randint(1, 12)}组"
    return f"{district}{road}{building}{room}"


def date_of_birth(rng: random.Random) -> str:
    d = birth_date(rng, 1945, 2020)
    return rng.choice((f"{d:%Y-%m-%d}", f"{d:%Y-%m-%d}", f"{d.year}/{d.month}/{d.day}",
                       f"{d.year}年{d.month}月{d.day}日", f"{d:%Y%m%d}", f"{d:%Y.%m.%d}"))


def geo_pair(rng: random.Random) -> tuple[str, str]:
    """A point near a mainland city as decimal text, 4-6 places (each is an exact float repr)."""
    places = rng.choice((4, 5, 6))
    lat, lng = rng.choice(CITY_CENTRES)
    return repr(round(lat + rng.uniform(-0.3, 0.3), places)), \
        repr(round(lng + rng.uniform(-0.3, 0.3), places))


def geo_coord(rng: random.Random) -> str:
    lat, lng = geo_pair(rng)
    sep = rng.choice((",", ", "))
    return f"{lng}{sep}{lat}" if rng.random() < 0.3 else f"{lat}{sep}{lng}"  # AMap writes lng,lat


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def biometric(rng: random.Random) -> str:
    """A face / fingerprint / voice template: base64 bytes or a float vector (64 or 128 dims)."""
    if rng.random() < 0.6:
        return b64(rng.randbytes(rng.choice((128, 256, 384, 512))))
    values = ",".join(f"{rng.gauss(0, 0.08):.4f}" for _ in range(rng.choice((64, 128))))
    return f"[{values}]" if rng.random() < 0.5 else values


PI_GENERATORS: dict[str, Gen] = {
    "CN_RESIDENT_ID": resident_id, "CN_MOBILE": mobile, "CN_LANDLINE": landline,
    "CN_BANK_CARD": bank_card, "CN_USCC": uscc, "CN_PASSPORT": passport,
    "CN_HK_MACAU_PERMIT": hk_macau_permit, "CN_TAIWAN_PERMIT": taiwan_permit, "HK_ID": hk_id,
    "MO_ID": mo_id, "TW_ID": tw_id, "CN_LICENSE_PLATE": license_plate, "VIN": vin, "IMEI": imei,
    "EMAIL": email, "IPV4": ipv4, "IPV6": ipv6, "MAC": mac, "GEO_COORD": geo_coord,
    "DATE_OF_BIRTH": date_of_birth, "CN_PERSON_NAME": person_name, "CN_ADDRESS": address,
    "BIOMETRIC": biometric, "WECHAT_ID": wechat_id, "QQ": qq, "ALIPAY_ID": alipay_id,
}


# --- hard negatives: look like PI to a naive detector, are not PI per the catalogue ---------------

def _other(rng: random.Random, correct: str, alphabet: str) -> str:
    return rng.choice(alphabet.replace(correct, ""))


def ric_bad_check(rng: random.Random) -> str:
    body = rng.choice(REGION_CODES) + birth_date(rng).strftime("%Y%m%d") + digits(rng, 3)
    return body + _other(rng, ric_check_char(body), "0123456789X")


def ric_bad_date(rng: random.Random) -> str:
    bad_day = rng.choice(("1313", "0230", "0431", "0001", "1200", "0932"))
    body = rng.choice(REGION_CODES) + str(rng.randint(1950, 2010)) + bad_day + digits(rng, 3)
    return body + ric_check_char(body)


def order_no(rng: random.Random) -> str:
    """18-digit order number: a date prefix, so province 20, which does not exist."""
    day = f"{rng.randint(2023, 2025)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return day + digits(rng, 10)


def epoch_ms(rng: random.Random) -> str:
    return str(rng.randint(1_600_000_000_000, 1_790_000_000_000))


def waybill(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(("SF", "YT", "JT", "JD", "ZT")) + digits(rng, 13)
    return rng.choice(("75", "77", "78", "98")) + digits(rng, rng.randint(10, 13))


def sku(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return "100" + digits(rng, 9)  # 12-digit marketplace item id
    if roll < 0.7:
        return f"SKU-{digits(rng, 5)}-{rng.choice(('BLK', 'WHT', 'RED', 'BLU'))}-" \
               f"{rng.choice(('S', 'M', 'L', 'XL', '42', '43'))}"
    return "B0" + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=8))


def md5_hex(rng: random.Random) -> str:
    return rng.randbytes(16).hex()


def sha1_hex(rng: random.Random) -> str:
    return rng.randbytes(20).hex()


def sha256_hex(rng: random.Random) -> str:
    return rng.randbytes(32).hex()


def trace_id(rng: random.Random) -> str:
    return rng.randbytes(16).hex()


def traceparent(rng: random.Random) -> str:
    return f"00-{rng.randbytes(16).hex()}-{rng.randbytes(8).hex()}-0{rng.choice('01')}"


def uuid4(rng: random.Random) -> str:
    h = rng.randbytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"


def card_luhn_fail(rng: random.Random) -> str:
    card = bank_card_digits(rng)
    return card[:-1] + _other(rng, card[-1], "0123456789")


def imei_luhn_fail(rng: random.Random) -> str:
    value = imei(rng)
    return value[:-1] + _other(rng, value[-1], "0123456789")


def vin_bad_check(rng: random.Random) -> str:
    value = vin(rng)
    return value[:8] + _other(rng, value[8], "0123456789X") + value[9:]


def hkid_bad_check(rng: random.Random) -> str:
    letter, body = rng.choice(UPPER), digits(rng, 6)
    return f"{letter}{body}({_other(rng, hkid_check_char(letter, body), '0123456789A')})"


def twid_bad_check(rng: random.Random) -> str:
    body = rng.choice(_TW_LETTERS) + rng.choice("12") + digits(rng, 7)
    return body + _other(rng, twid_check_digit(body), "0123456789")


def uscc_bad_check(rng: random.Random) -> str:
    value = uscc(rng)
    return value[:-1] + _other(rng, value[-1], USCC_ALPHABET)


def version_string(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return ".".join(str(rng.randint(0, 20)) for _ in range(4))
    if roll < 0.7:
        parts = (rng.randint(1, 9), rng.randint(0, 9), rng.randint(0, 9), rng.randint(0, 99))
        return "rv:" + ".".join(map(str, parts))
    return f"Chrome/{rng.randint(100, 131)}.0.0.0"


def price(rng: random.Random) -> str:
    value = f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}"
    return rng.choice(("¥", "￥", "", "")) + value


def amount_cents(rng: random.Random) -> str:
    return str(rng.randint(100, 99_999_999))


def bad_mobile(rng: random.Random) -> str:
    """11 digits starting with 1 in segments that do not exist (10x 11x 12x 154 194)."""
    return rng.choice(("10", "11", "12", "154", "194")).ljust(3, rng.choice("0123456789")) + \
        digits(rng, 8)


def ean13(rng: random.Random) -> str:
    body = "69" + digits(rng, 10)
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str(-total % 10)


def iban_like(rng: random.Random) -> str:
    country = rng.choice(("GB", "DE", "FR", "NL", "HK"))
    return country + digits(rng, 2) + "".join(rng.choices(UPPER, k=4)) + digits(rng, 14)


def neutral_base64(rng: random.Random) -> str:
    """Opaque bytes or an encoded cart snapshot: looks like a template blob, is not biometric."""
    if rng.random() < 0.5:
        return b64(rng.randbytes(rng.choice((48, 96, 192))))
    cart = f'{{"cart":[{rng.randint(1, 999)},{rng.randint(1, 999)}],"coupon":"C{digits(rng, 6)}"}}'
    return b64(cart.encode())


def masked_value(rng: random.Random) -> str:
    """Already-masked values as they leave well-behaved services."""
    roll = rng.random()
    if roll < 0.4:
        d = mobile_digits(rng)
        return d[:3] + "****" + d[7:]
    if roll < 0.7:
        return "**** **** **** " + digits(rng, 4)
    if roll < 0.85:
        return rng.choice(REGION_CODES)[:3] + "*" * 11 + digits(rng, 3) + rng.choice("0123456789X")
    return rng.choice(SURNAMES) + "*" * rng.choice((1, 2))


_MOBILE_SHAPE = re.compile(r"1740[0-5]\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}")


def uscc_is_valid(value: str) -> bool:
    if len(value) != 18 or not all(c in USCC_ALPHABET for c in value):
        return False
    org_ok = org_code_check_char(value[8:16]) == value[16]
    return org_ok and uscc_check_char(value[:17]) == value[17]


def vin_is_valid(value: str) -> bool:
    return len(value) == 17 and all(c in _VIN_VALUES for c in value) and \
        vin_check_char(value) == value[8]


def accidentally_valid(value: str) -> bool:
    """Whether a look-alike passes a catalogue check it was not made to pass (about 1 in 10 of
    random 16-19 digit strings pass Luhn, 1 in 341 of random 18-digit strings pass USCC)."""
    compact = value.replace(" ", "").replace("-", "")
    if ric_is_valid(compact) or uscc_is_valid(compact) or vin_is_valid(compact):
        return True
    if not compact.isdigit():
        return False
    if 15 <= len(compact) <= 19 and luhn_ok(compact):
        return True
    return bool(_MOBILE_SHAPE.fullmatch(compact))


def _never_valid(gen: Gen) -> Gen:
    def draw(rng: random.Random) -> str:
        while accidentally_valid(value := gen(rng)):
            pass
        return value
    return draw


HARD_NEGATIVES: dict[str, Gen] = {name: _never_valid(gen) for name, gen in {
    "ric_bad_check": ric_bad_check, "ric_bad_date": ric_bad_date, "order_no": order_no,
    "epoch_ms": epoch_ms, "waybill": waybill, "sku": sku, "md5": md5_hex, "sha1": sha1_hex,
    "sha256": sha256_hex, "trace_id": trace_id, "traceparent": traceparent, "uuid": uuid4,
    "card_luhn_fail": card_luhn_fail, "imei_luhn_fail": imei_luhn_fail,
    "vin_bad_check": vin_bad_check, "hkid_bad_check": hkid_bad_check,
    "twid_bad_check": twid_bad_check, "uscc_bad_check": uscc_bad_check, "version": version_string,
    "price": price, "amount_cents": amount_cents, "bad_mobile": bad_mobile, "ean13": ean13,
    "iban_like": iban_like, "neutral_base64": neutral_base64, "masked": masked_value,
}.items()}
