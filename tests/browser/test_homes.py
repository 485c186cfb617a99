"""Each demo role logs in through the login form and sees its own home page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("username", "expected", "absent"),
    [
        ("office", ["办公室工作人员", "管理成员单位（导入/导出）", "组成情况"], []),
        ("zuzhang", ["领导小组领导", "组成情况"], ["管理账号"]),
        ("fuzuzhang", ["领导小组领导"], ["管理账号"]),
        (
            "liaison_sfj",
            [
                "联络员 · 区司法局",
                "区司法局职责分工",
                "知识产权规范性法律文件起草和审查工作",
            ],
            ["组成情况", "统筹安排区级财政资金"],
        ),
        (
            "head_czj",
            ["单位分管负责同志 · 区财政局", "统筹安排区级财政资金支持知识产权工作"],
            ["组成情况"],
        ),
    ],
)
def test_role_home(page, portal_url, username, expected, absent):
    login(page, portal_url, username)
    body = page.locator("main").inner_text()
    for text in expected:
        assert text in body, f"{username}: {text!r} missing from home"
    for text in absent:
        assert text not in body, f"{username}: {text!r} should not show"


def test_wrong_password_is_told_in_chinese(page, portal_url):
    login(page, portal_url, "office", "wrong-password")
    assert "用户名或密码不正确" in page.locator("main").inner_text()


def test_liaison_cannot_open_other_units_people(page, portal_url):
    login(page, portal_url, "liaison_sfj")
    response = page.goto(portal_url + "/units/czj/people/")
    assert response.status == 404
    response = page.goto(portal_url + "/units/sfj/people/")
    assert response.status == 200
    assert "沈玉兰" in page.locator("main").inner_text()
