"""A Chinese name candidate that ends as given names end (王芳, 武丹丹), not as words do (周末).

For rules whose cue words say less than a name key or 收货人 does: a possessive before a number a
person has (王芳的手机号) is also written after brands, places and words (苏宁的电话, 高新区的车牌,
周末的电话会议). The last character of a given name is nearly always one of a few hundred common
in given names; the list below is those, written from common naming practice (not drawn from any
generator), leaving out characters that mostly end words (末, 区, 通, 会, 时).

>>> validate(' 武丹丹 ')
'武丹丹'
>>> is_valid('张洋'), is_valid('李秀英'), is_valid('周末'), is_valid('高新区'), is_valid('王')
(True, True, False, False, False)
"""

from __future__ import annotations

from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength, passes

__all__ = ["GIVEN_NAME_CHARS", "compact", "is_valid", "validate"]

GIVEN_NAME_CHARS = frozenset(
    "丰伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂玉萍红华建国文辉力永健世广志义兴"
    "良海山仁波宁贵福生龙元全胜学祥才发武新利清飞彬富顺信子亮康星光天达安岩茂进林坚彪"
    "博诚敬震振壮思群豪邦承乐绍功松善厚庆民友裕河哲江浩政谦亨奇固翰朗伯宏言若鸣朋斌梁"
    "栋维启克伦翔旭鹏泽晨辰致树炎德泰盛雄琛钧冠策腾楠榕风航弘嘉琼娣叶璧璐娅琦晶妍茜秋"
    "珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏"
    "卿聪澜纯毓悦昭冰爽琬茗羽希欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔阳妮"
    "宝贞凤洁梅琳素云莲真环雪荣爱妹香月莺媛燕玲佳勤珍莉花美慧巧惠珠翠雅芝娥芬彩春菊瑞"
    "凡鑫帅宇凯俊峰轩睿涵梓雨萱诗琪东兵帆淑蕾雯婧娇毅铁钢宾滨渊虎鹰跃越旋贤礼智忠孝廉"
    "正直昌旺吉夏冬南西北川森柏桦杨柳桃杏桐立坤鸿銮鹤琨璋瑜璇晗昊昕晟晖曦熙煜烨炜焕然"
    "照耀灿晴景晋晔皓盈益硕祺祯禹程稳竣笑笛筱箐纪纲绪绮缘翊耕聚胤舜艾芮苗茹荟莹菡萌蓝"
    "蔚蕴虹衡誉谊贝赫轶迪逸遥邑郁醇金钰铭锋锐镇闯阔隆雷霖霏靖韬颂颜飒骏魁鹃黎默齐倪依"
    "俐倚偲傲儒允兆兮冉冶凌函初剑劲励勋卉卓卫双唯啸喆圣均培基堂墨奕奥如妃妙姗姝娉媚嫣"
    "孜宗宛宣容宸寅尚屹岳峻崇嵩巍幸廷弛彤彦彧忆忱念怀恒恩悠惜意慈懿扬斐旗昀昂昆昱晏曼"
    "朔朝杉杭枝楷榆樱檀汐沁沐沛泓泳津洪浚淇淳源溪滔潇澄灵炫烁焱熠燃牧琅瑄瑛璨畅皎盼祎"
    "祝穆章童端笙纬绵缨羿翎翼耘聆芊芙芷苇茵葳蒙蔓藩裴谨贺赞迎远迦钊钦铠镜闻陶雍韦韩音"
    "韶頔顾骞骥鲲鸥麒"
)


def compact(text: str) -> str:
    """Strip surrounding space.

    >>> compact(' 张伟 ')
    '张伟'
    """
    return text.strip()


def validate(text: str) -> str:
    """Return the name or raise a ValidationError subclass."""
    name = compact(text)
    if not 2 <= len(name) <= 4:
        raise InvalidLength("expected 2 to 4 characters")
    if not all("\u4e00" <= char <= "\u9fa5" for char in name):
        raise InvalidFormat("not written in Han characters")
    if name[-1] not in GIVEN_NAME_CHARS:
        raise InvalidComponent("does not end as a given name does")
    return name


def is_valid(text: str) -> bool:
    """True if ``text`` reads as a Chinese name by its last character; never raises."""
    return passes(validate, text)
