"""A Chinese name candidate that ends as given names end (王芳, 武丹丹), not as words do (周末).

Some cues say less than a name key or 收货人 does: a possessive before a number a person has
(王芳的手机号) is also written after brands, places and words (苏宁的电话, 高新区的车牌, 周末的电话
会议), and a greeting or a résumé line opens with words too (您好商家，, 房主，男，). Behind such a
cue the name refiner takes only a name whose last character is in ``GIVEN_NAME_CHARS``; as a
validator, the same check serves rules that want it of every match. The last character of a given
name is nearly always one of some six hundred common in given names: the list below, written from
common naming practice (not drawn from any generator) in simplified and traditional script,
leaving out characters that mostly end words (末, 区, 通, 会, 时, 中, 家).

>>> validate(' 武丹丹 ')
'武丹丹'
>>> is_valid('张洋'), is_valid('李秀英'), is_valid('周末'), is_valid('高新区'), is_valid('王')
(True, True, False, False, False)
"""

from __future__ import annotations

from firewall.checksums.exceptions import InvalidComponent, InvalidFormat, InvalidLength, passes

__all__ = ["GIVEN_NAME_CHARS", "compact", "is_valid", "validate"]

GIVEN_NAME_CHARS = frozenset(
    "三四五丰伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂玉萍红华建国文辉力永健世"
    "广志义兴良海山仁波宁贵福生龙元全胜学祥才发武新利清飞彬富顺信子亮康星光天达安岩茂"
    "进林坚彪博诚敬震振壮思群豪邦承乐绍功松善厚庆民友裕河哲江浩政谦亨奇固翰朗伯宏言若"
    "鸣朋斌梁栋维启克伦翔旭鹏泽晨辰致树炎德泰盛雄琛钧冠策腾楠榕风航弘嘉琼娣叶璧璐娅琦"
    "晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵"
    "融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒"
    "影荔阳妮宝贞凤洁梅琳素云莲真环雪荣爱妹香月莺媛燕玲佳勤珍莉花美慧巧惠珠翠雅芝娥芬"
    "彩春菊瑞凡鑫帅宇凯俊峰轩睿涵梓雨萱诗琪东兵帆淑蕾雯婧娇毅铁钢宾滨渊虎鹰跃越旋贤礼"
    "智忠孝廉正直昌旺吉夏冬南西北川森柏桦杨柳桃杏桐立坤鸿銮鹤琨璋瑜璇晗昊昕晟晖曦熙煜"
    "烨炜焕然照耀灿晴景晋晔皓盈益硕祺祯禹程稳竣笑笛筱箐纪纲绪绮缘翊耕聚胤舜艾芮苗茹荟"
    "莹菡萌蓝蔚蕴虹衡誉谊贝赫轶迪逸遥邑郁醇金钰铭锋锐镇闯阔隆雷霖霏靖韬颂颜飒骏魁鹃黎"
    "默齐倪依俐倚偲傲儒允兆兮冉冶凌函初剑劲励勋卉卓卫双唯啸喆圣均培基堂墨奕奥如妃妙姗"
    "姝娉媚嫣孜宗宛宣容宸寅尚屹岳峻崇嵩巍幸廷弛彤彦彧忆忱念怀恒恩悠惜意慈懿扬斐旗昀昂"
    "昆昱晏曼朔朝杉杭枝楷榆樱檀汐沁沐沛泓泳津洪浚淇淳源溪滔潇澄灵炫烁焱熠燃牧琅瑄瑛璨"
    "畅皎盼祎祝穆章童端笙纬绵缨羿翎翼耘聆芊芙芷苇茵葳蒙蔓藩裴谨贺赞迎远迦钊钦铠镜闻陶"
    "雍韦韩音韶頔顾骞骥鲲鸥麒成诺沫苒珂玥芯歆嵘恺煊予语璟霆骁尧峥铮甜宪玮"
    # the same in traditional script (Taiwan, Hong Kong), and some common there
    "豐偉靜麗強軍艷傑濤蘭剛紅華國輝廣義興寧貴龍勝學發飛順達喦進堅愽誠壯羣樂紹慶謙鳴樑"
    "棟維啟倫鵬澤樹悳鈞筞騰枏風瓊葉婭錦嫻穎瑤嬋鴈儀琹蕋夢嵐韻螎園藝詠聰瀾純悅氷訢飄瀅"
    "靄曉歡楓亞茘陽寶貞鳳潔楳雲蓮環榮愛鶯讌懃珎芲綵旾凣帥凱儁峯軒叡萲詩東颿嬌鐵鋼賓濱"
    "淵鷹躍賢禮亷樺楊栁堃鴻鑾鶴璿暉燁煒煥炤燿燦晉曄暠碩禎穩篠紀綱緒綺緣畊薈瑩藍蘊譽誼"
    "貝軼遙鬱醕鈺銘鋒銳鎮闖闊韜頌顏颯駿鵑齊冄淩圅劍勁勵勛衛雙嘯聖奧玅姍倖彥憶唸懷恆揚"
    "旂崐櫻濬湻谿瀟澂靈爍瑯暢禕耑緯綿纓葦謹賀贊遠釗欽鎧鏡聞雝韋韓顧騫驥鯤鷗佑妤筑蓁"
    "諺諾語憲瑋財崢錚驍堯愷"
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
