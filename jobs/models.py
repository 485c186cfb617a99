"""What the queue carries, as rows: the database is the truth, the queue only
delivers.

``Mail`` is one outgoing e-mail (the outbox); ``Job`` is one long piece of work a
person asked for (an export, an import), with its progress and its result: a
file to download, or a page to go to with a line saying what was done. A queue message only
says "look at row N": a message lost with a dead worker is found again by the
sweep (``jobs.services.sweep``) from the rows, and a message delivered twice finds
its row already done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class MailQuerySet(models.QuerySet):
    def search(self, text: str) -> MailQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(to__icontains=text) | models.Q(subject__icontains=text)
        )


class Mail(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to = models.EmailField(_("收件地址"))
    subject = models.CharField(_("主题"), max_length=300)
    body = models.TextField(_("正文"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近一次错误"), blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    # when the next delivery attempt is due (the queue holds a message for it);
    # the sweep re-enqueues a pending mail whose attempt is long overdue
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    # a worker holds the mail while it talks to the mail server; another worker
    # (a message delivered twice) leaves it alone until then
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = MailQuerySet.as_manager()

    class Meta:
        verbose_name = _("邮件")
        verbose_name_plural = _("发件箱")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="mail_state_due")
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:outbox") + "?" + urlencode({"q": self.to})

    @property
    def can_resend(self) -> bool:
        return self.state == self.State.FAILED


class JobQuerySet(models.QuerySet):
    def of(self, user) -> JobQuerySet:
        return self.filter(owner=user)


class Job(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # where the person came from, to go back after the file is taken
    back_url = models.CharField(max_length=500, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    file = models.FileField(_("文件"), upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # a job whose result is a page (an import: the plan it filled), not a file
    result_url = models.CharField(_("结果链接"), max_length=500, blank=True)
    result_text = models.CharField(_("结果"), max_length=300, blank=True)
    # the same request made twice (a form submitted twice) is one job: a
    # non-empty key is unique per person and kind (``services.job_start``)
    key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # a running job's worker pushes this forward as it works; a job whose lease
    # ran out belongs to a worker that died, and the sweep gives it to another
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    worker = models.CharField(_("处理进程"), max_length=100, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台作业")
        verbose_name_plural = _("后台作业")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_at_most_100"
            ),
            models.UniqueConstraint(
                fields=["owner", "kind", "key"],
                condition=~models.Q(key=""),
                name="job_once_per_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.PENDING, self.State.RUNNING)

    @property
    def has_file(self) -> bool:
        return self.state == self.State.DONE and bool(self.file)

    @property
    def has_link(self) -> bool:
        return self.state == self.State.DONE and bool(self.result_url)

    @property
    def can_retry(self) -> bool:
        return self.state == self.State.FAILED

    @property
    def bar_step(self) -> int:
        """The bar's width class (static/css/jobs.css), in steps of 5 %."""
        return 100 if self.state == self.State.DONE else self.progress // 5 * 5
