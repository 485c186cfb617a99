"""Benchmark tasks in every state, their timelines and progress reports."""

from __future__ import annotations

from datetime import date, timedelta

from meetings.models import Decision
from members.models import Unit
from tasks.creation import NewTask, tasks_write_bulk
from tasks.models import Extension, ProgressReport, Task, TaskEvent, WorkPlan

from .base import (
    BATCH,
    REPORT_PHRASES,
    TOPICS,
    VERBS,
    chunks,
    manual_timestamps,
    model_field,
)


class TaskSeeder:
    def _task_state(self, created: date, due: date) -> dict:
        """Status, progress and dates of a task created on ``created``, due on ``due``.

        Old tasks are mostly closed; recent ones are spread over every status, so
        the lights come out red, yellow (due soon or stale), green and grey."""
        r = self.rng.random()
        age = (self.today - created).days
        if due < self.today - timedelta(days=60) and r < 0.97:
            status = Task.Status.CLOSED
        elif age > 0 and r < 0.25:
            status = Task.Status.CLOSED
        else:
            status = self.rng.choices(
                [
                    Task.Status.ASSIGNED,
                    Task.Status.SIGNED,
                    Task.Status.IN_PROGRESS,
                    Task.Status.RETURNED,
                    Task.Status.CLOSURE_REQUESTED,
                ],
                weights=[10, 15, 55, 8, 12],
            )[0]
        progress = {
            Task.Status.ASSIGNED: 0,
            Task.Status.SIGNED: 0,
            Task.Status.IN_PROGRESS: self.rng.randrange(10, 95, 5),
            Task.Status.RETURNED: self.rng.randrange(60, 95, 5),
            Task.Status.CLOSURE_REQUESTED: 100,
            Task.Status.CLOSED: 100,
        }[status]
        return {"status": status, "progress": progress}

    def make_tasks(self, years: list[int], count: int) -> None:
        rng = self.rng
        author = self.office_users[0]
        existing_codes = set(Task.objects.values_list("code", flat=True))
        sources: list[tuple[Decision | None, WorkPlan | None, date, list[Unit]]] = []
        # About a fifth of the tasks come from decided matters (1–3 per matter),
        # the rest from the annual work plans.
        from_decisions = min(count // 5, len(self.decisions) * 3)
        per_decision = max(1, from_decisions // max(1, len(self.decisions)))
        for d, units in self.decisions:
            for _ in range(per_decision):
                if len(sources) >= from_decisions:
                    break
                sources.append((d, None, d.minutes.issued_at.date(), units))
        plans = [
            WorkPlan(
                group=self.group,
                year=y,
                title=f"金台区{y}年知识产权强区建设工作计划",
                created_by=author,
                created_at=self._aware(date(y, 2, 20)),
            )
            for y in years
        ]
        with manual_timestamps(model_field(WorkPlan, "created_at")):
            WorkPlan.objects.bulk_create(plans)
        remaining = count - len(sources)
        for n in range(remaining):
            plan = plans[n % len(plans)]
            sources.append((None, plan, plan.created_at.date(), []))

        tasks: list[Task] = []
        co_sets: list[list[Unit]] = []
        plan_seq: dict[int, int] = {}
        for n, (decision, plan, created, suggested) in enumerate(sources):
            lead = suggested[0] if suggested else rng.choice(self.units)
            co = [u for u in suggested[1:] if u.pk != lead.pk]
            if not co and rng.random() < 0.55:
                co = [u for u in rng.sample(self.units, rng.randint(1, 3)) if u != lead]
            if plan is not None:
                created = created + timedelta(days=rng.randint(0, 20))
                due = date(plan.year, rng.randint(3, 12), rng.randint(1, 28))
                plan_seq[plan.pk] = plan_seq.get(plan.pk, 0) + 1
                code = f"{plan.year}-计划-{plan_seq[plan.pk]}"
            else:
                due = created + timedelta(days=rng.randint(20, 240))
                code = decision.code
            # The most recent year keeps due dates around today (every light).
            if created.year == self.today.year and rng.random() < 0.5:
                due = self.today + timedelta(days=rng.randint(-30, 90))
            if due <= created:
                due = created + timedelta(days=15)
            base, k = code, 2
            while code in existing_codes:
                code, k = f"{base}-{k}", k + 1
            existing_codes.add(code)
            state = self._task_state(created, due)
            extended = rng.random() < 0.06
            original = due - timedelta(days=rng.randint(15, 60)) if extended else due
            if original <= created:
                original, extended = due, False
            created_at = self._aware(created, rng.randint(8, 17), rng.randint(0, 59))
            status = state["status"]
            signed = status != Task.Status.ASSIGNED
            closed = status == Task.Status.CLOSED
            closed_at = self._aware(
                min(due + timedelta(days=rng.randint(-20, 5)), self.today), 16
            )
            if closed_at <= created_at:
                closed_at = created_at + timedelta(days=10)
            if rng.random() < 0.15 and not closed:  # stale: nothing for > 30 days
                last = self.now - timedelta(days=rng.randint(35, 120))
            elif closed:
                last = closed_at
            else:
                last = self.now - timedelta(days=rng.randint(0, 25))
            last = max(last, created_at)
            leader = self.unit_users[lead.pk][0]
            topic = rng.choice(TOPICS)
            title = f"{rng.choice(VERBS)}{topic}工作（{n + 1}）"
            tasks.append(
                Task(
                    code=code,
                    title=title,
                    description=(
                        decision.text
                        if decision
                        else f"{title}，{lead.name}牵头，相关单位配合，按计划推进。"
                    ),
                    decision=decision,
                    plan=plan,
                    lead_unit=lead,
                    original_due_on=original,
                    due_on=due,
                    status=status,
                    progress=state["progress"],
                    signed_at=created_at + timedelta(days=2) if signed else None,
                    signed_by=leader if signed else None,
                    closure_requested_at=closed_at - timedelta(days=3)
                    if status in (Task.Status.CLOSED, Task.Status.CLOSURE_REQUESTED)
                    else None,
                    closed_at=closed_at if closed else None,
                    closed_by=author if closed else None,
                    return_reason="佐证材料不完整，请补充后重新申请销号。"
                    if status == Task.Status.RETURNED
                    else "",
                    last_activity_at=last,
                    created_by=author,
                    created_at=created_at,
                    updated_at=last,
                )
            )
            co_sets.append(co)
        # Written as every new task is (tasks.creation): the task and its history,
        # co-units, duty links, the units' grants (members.grants) and the 交办
        # event; then the steps each task has taken since.
        new = [
            NewTask(
                task,
                co,
                [rng.choice(duties)]
                if (duties := self.duties.get(task.lead_unit_id))
                else [],
            )
            for task, co in zip(tasks, co_sets, strict=True)
        ]
        with manual_timestamps(
            model_field(Task, "created_at"), model_field(Task, "updated_at")
        ):
            tasks_write_bulk(
                new,
                by=author,
                within=Task.objects.all(),
                code_taken="seed_bench: a task code is taken (use a fresh database)",
                raced="seed_bench: tasks were written meanwhile (use a fresh database)",
            )
        # Timeline: 签收 and 销号 events (交办 is written with the task); approved
        # extensions.
        events = []
        extensions = []
        for t in tasks:
            if t.signed_at:
                events.append(
                    TaskEvent(
                        task=t,
                        kind=TaskEvent.Kind.SIGNED,
                        actor=t.signed_by,
                        unit=t.lead_unit,
                        created_at=t.signed_at,
                    )
                )
            if t.closed_at:
                events.append(
                    TaskEvent(
                        task=t,
                        kind=TaskEvent.Kind.CLOSED,
                        actor=author,
                        created_at=t.closed_at,
                    )
                )
            if t.due_on != t.original_due_on:
                decided = t.created_at + timedelta(days=20)
                extensions.append(
                    Extension(
                        task=t,
                        unit=t.lead_unit,
                        requested_by=t.signed_by or self.unit_users[t.lead_unit_id][0],
                        reason="受客观因素影响，申请延期完成。",
                        old_due_on=t.original_due_on,
                        new_due_on=t.due_on,
                        status=Extension.Status.APPROVED,
                        decided_by=self.leaders[0],
                        decided_at=decided,
                        decision_note="同意延期。",
                        created_at=decided - timedelta(days=2),
                    )
                )
        with manual_timestamps(
            model_field(TaskEvent, "created_at"), model_field(Extension, "created_at")
        ):
            TaskEvent.objects.bulk_create(events, batch_size=BATCH)
            Extension.objects.bulk_create(extensions, batch_size=BATCH)
        self.tasks = tasks
        self.co_sets = co_sets

    def make_reports(self, count: int) -> None:
        """Progress reports over the tasks that were signed for: the lead unit's
        cover the whole task, co-units report their part."""
        rng = self.rng
        eligible = [
            (t, co)
            for t, co in zip(self.tasks, self.co_sets, strict=True)
            if t.status != Task.Status.ASSIGNED
        ]
        if not eligible or count <= 0:
            return
        reports = []
        for n in range(count):
            t, co = eligible[n % len(eligible)]
            unit = t.lead_unit if not co or rng.random() < 0.7 else rng.choice(co)
            end = t.closed_at or t.last_activity_at
            start = t.signed_at or t.created_at
            span = max(1, int((end - start).total_seconds()))
            created = start + timedelta(seconds=rng.randrange(span))
            percent = min(100, max(5, t.progress - rng.randrange(0, 50, 5)))
            reports.append(
                ProgressReport(
                    task=t,
                    unit=unit,
                    author=rng.choice(self.unit_users[unit.pk]),
                    text=rng.choice(REPORT_PHRASES) + rng.choice(REPORT_PHRASES),
                    percent=percent,
                    is_lead_report=unit.pk == t.lead_unit_id,
                    created_at=created,
                    updated_at=created,
                )
            )
        with manual_timestamps(
            model_field(ProgressReport, "created_at"),
            model_field(ProgressReport, "updated_at"),
            model_field(TaskEvent, "created_at"),
        ):
            for chunk in chunks(reports, 5000):
                ProgressReport.objects.bulk_create(chunk, batch_size=BATCH)
            TaskEvent.objects.bulk_create(
                [
                    TaskEvent(
                        task_id=r.task_id,
                        kind=TaskEvent.Kind.REPORTED,
                        actor_id=r.author_id,
                        unit_id=r.unit_id,
                        note=f"{r.percent}%",
                        created_at=r.created_at,
                    )
                    for r in reports
                ],
                batch_size=BATCH,
            )
