"""What every part of the benchmark data shares: sizes, names and phrases, helpers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import models

from meetings.models import Meeting

BENCH_PASSWORD = "jinwei-bench-2026"
BATCH = 2000

# Meetings per year by kind: one plenary (原则上每年一次), specials, temporaries, partials.
MEETINGS_PER_YEAR = [
    (Meeting.Kind.PLENARY, 1),
    (Meeting.Kind.SPECIAL, 6),
    (Meeting.Kind.TEMPORARY, 3),
    (Meeting.Kind.PARTIAL, 2),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "建国华明丽静敏强伟芳军磊洋勇艳杰娟涛超霞平刚桂英玉兰秀红志文斌宁"
TOPICS = [
    "知识产权宣传周",
    "商标侵权联合执法",
    "专利导航服务",
    "地理标志产品保护",
    "中小学知识产权教育",
    "知识产权质押融资",
    "涉外知识产权纠纷应对",
    "版权市场专项检查",
    "植物新品种保护",
    "知识产权案件审理",
    "知识产权公共服务网点",
    "重点企业知识产权托管",
    "展会知识产权保护",
    "电商平台侵权治理",
    "知识产权资助奖励",
]
VERBS = ["开展", "推进", "落实", "组织", "完善", "加强", "建立", "深化"]
REPORT_PHRASES = [
    "已召开专题推进会，明确责任分工和时间节点。",
    "已完成前期摸底调查，形成工作台账。",
    "联合相关部门开展检查，出动执法人员若干人次。",
    "已印发实施方案，正在组织实施。",
    "已完成阶段性任务，相关材料已归档。",
    "因上级政策调整，部分工作顺延，正在协调推进。",
    "开展宣传活动，发放宣传资料，接受群众咨询。",
    "已形成工作总结，申请销号。",
]
PLACES = ["区政府三楼会议室", "区市场监管局五楼会议室", "区政府一号会议室"]


def chunks(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def manual_timestamps(*fields: models.Field) -> Iterator[None]:
    """Let bulk_create keep the historical dates we set on auto_now(_add) fields."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def model_field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)
