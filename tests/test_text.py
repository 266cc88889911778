import pytest

from gdstat.text import core, squash, to_simplified


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "主动公开政府信息数"),
        ("(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)", "主动公开政府信息数"),
        ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
        ("1.属于国家秘密", "属于国家秘密"),
        ("1、属于国家秘密", "属于国家秘密"),
        ("１．属于国家秘密", "属于国家秘密"),
        ("其中：主动公开规范性文件数", "主动公开规范性文件数"),
        ("其中:主要负责同志参加新闻发布会次数", "主要负责同志参加新闻发布会次数"),
        ("3.危及“三安全一稳定”", "危及三安全一稳定"),
        ("统　计　指　标", "统计指标"),
        ("（七）总计", "总计"),
        ("规章（设区的市、自治州人民政府应提供相关数据）", "规章"),
        ("  2. 其他法律\n行政法规禁止公开 ", "其他法律行政法规禁止公开"),
    ],
)
def test_core_strips_numbering_notes_width_and_spaces(printed, expected):
    assert core(printed) == expected


def test_squash_is_width_and_space_insensitive():
    assert squash("（一） 予以公开") == squash("(一)予以公开")


def test_traditional_characters_become_simplified():
    assert core(to_simplified("（二）部分公開")) == "部分公开"
    assert to_simplified("上年結轉政府信息公開申請數量") == "上年结转政府信息公开申请数量"
