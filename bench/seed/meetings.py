"""Benchmark meetings: attendance, issued minutes, decided matters, and their grants."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models

from meetings.models import Attendance, Decision, Meeting, Minutes
from meetings.services import meeting_grants_sync
from members.models import Position, Unit

from .base import (
    BATCH,
    MEETINGS_PER_YEAR,
    PLACES,
    TOPICS,
    VERBS,
    manual_timestamps,
    model_field,
)


class MeetingSeeder:
    def make_meetings(self, years: list[int]) -> None:
        author = self.office_users[0]
        approver = self.leaders[0]
        taken = {
            (y, k): s
            for y, k, s in Meeting.objects.filter(group=self.group)
            .values_list("year", "kind")
            .annotate(s=models.Max("sequence"))
            .values_list("year", "kind", "s")
        }
        issue_taken = dict(
            Minutes.objects.filter(issue_number__isnull=False)
            .values_list("issue_year")
            .annotate(n=models.Max("issue_number"))
            .values_list("issue_year", "n")
        )
        meetings: list[Meeting] = []
        units_of: list[list[Unit]] = []
        for year in years:
            plan = []
            for kind, count in MEETINGS_PER_YEAR:
                plan += [kind] * count
            days = sorted(
                self.rng.sample(range(10, 355), len(plan))
            )  # spread over the year
            self.rng.shuffle(plan)
            seq: dict[str, int] = {}
            for kind, day_of_year in zip(plan, days, strict=True):
                seq[kind] = seq.get(kind, taken.get((year, kind), 0)) + 1
                day = date(year, 1, 1) + timedelta(days=day_of_year)
                starts = self._aware(day, self.rng.choice((9, 10, 14, 15)))
                topic = self.rng.choice(TOPICS)
                held = day < self.today
                delegated = self.rng.random() < 0.25
                concerned = (
                    list(self.units)
                    if kind == Meeting.Kind.PLENARY
                    else self.rng.sample(self.units, self.rng.randint(3, 7))
                )
                meetings.append(
                    Meeting(
                        group=self.group,
                        kind=kind,
                        year=year,
                        sequence=seq[kind],
                        title=f"{year}年{Meeting.Kind(kind).label}（第{seq[kind]}次）：{topic}",
                        subject=f"研究部署{topic}工作",
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=2),
                        place=self.rng.choice(PLACES),
                        status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
                        convener=Meeting.Convener.DEPUTY
                        if delegated
                        else Meeting.Convener.LEADER,
                        delegation_note="组长书面委托副组长召集" if delegated else "",
                        partial_reason="涉及部分成员单位职责，召集相关单位专题研究"
                        if kind == Meeting.Kind.PARTIAL
                        else "",
                        created_by=author,
                        created_at=starts - timedelta(days=14),
                        updated_at=starts,
                    )
                )
                units_of.append(concerned)
        with manual_timestamps(
            model_field(Meeting, "created_at"), model_field(Meeting, "updated_at")
        ):
            Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        Meeting.units.through.objects.bulk_create(
            [
                Meeting.units.through(meeting_id=m.pk, unit_id=u.pk)
                for m, units in zip(meetings, units_of, strict=True)
                if m.kind != Meeting.Kind.PLENARY
                for u in units
            ],
            batch_size=BATCH,
        )
        attendance = []
        for meeting, units in zip(meetings, units_of, strict=True):
            if meeting.status != Meeting.Status.HELD:
                continue
            unit_ids = {u.pk for u in units}
            seen: set[int] = set()
            for membership in self.attendees:
                if membership.person_id in seen:
                    continue  # one person may hold two posts (副组长, 办公室主任)
                position = membership.position
                if position.unit_id and position.unit_id not in unit_ids:
                    if position.kind == Position.Kind.MEMBER:
                        continue
                seen.add(membership.person_id)
                status = self.rng.choices(
                    [Attendance.Status.PRESENT, Attendance.Status.ABSENT],
                    weights=[9, 1],
                )[0]
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        person=membership.person,
                        unit_id=membership.person.unit_id,
                        title_at_meeting=position.post,
                        status=status,
                    )
                )
        Attendance.objects.bulk_create(attendance, batch_size=BATCH)

        minutes: list[Minutes] = []
        numbers = dict(issue_taken)
        for meeting in meetings:
            if meeting.status != Meeting.Status.HELD:
                continue
            issued_at = meeting.starts_at + timedelta(days=self.rng.randint(3, 10))
            issued = issued_at < self.now
            year = issued_at.year
            if issued:
                numbers[year] = numbers.get(year, 0) + 1
            paragraphs = "\n\n".join(
                f"会议听取了{self.rng.choice(self.units).name}关于"
                f"{self.rng.choice(TOPICS)}工作情况的汇报，"
                "与会单位结合各自职责进行了讨论。会议认为，"
                "各成员单位要进一步提高认识、压实责任、加强协作，"
                "确保各项工作任务按期完成。"
                for _ in range(self.rng.randint(4, 8))
            )
            minutes.append(
                Minutes(
                    meeting=meeting,
                    version=1,
                    status=Minutes.Status.ISSUED if issued else Minutes.Status.APPROVED,
                    title=f"{meeting.title}纪要",
                    narrative=paragraphs,
                    issue_year=year if issued else None,
                    issue_number=numbers[year] if issued else None,
                    drafted_by=author,
                    submitted_at=meeting.starts_at + timedelta(days=1),
                    approved_by=approver,
                    approved_at=meeting.starts_at + timedelta(days=2),
                    issued_by=author if issued else None,
                    issued_at=issued_at if issued else None,
                )
            )
        Minutes.objects.bulk_create(minutes, batch_size=BATCH)
        decisions: list[Decision] = []
        suggested: list[tuple[Decision, list[Unit]]] = []
        for m in minutes:
            for number in range(1, self.rng.randint(5, 9)):
                topic = self.rng.choice(TOPICS)
                units = self.rng.sample(self.units, self.rng.randint(1, 3))
                d = Decision(
                    minutes=m,
                    number=number,
                    text=f"{self.rng.choice(VERBS)}{topic}工作，由"
                    f"{'、'.join(u.name for u in units)}负责，按期报送进展。",
                )
                decisions.append(d)
                suggested.append((d, units))
        Decision.objects.bulk_create(decisions, batch_size=BATCH)
        Decision.suggested_units.through.objects.bulk_create(
            [
                Decision.suggested_units.through(decision_id=d.pk, unit_id=u.pk)
                for d, units in suggested
                for u in units
            ],
            batch_size=BATCH,
        )
        self.meetings = meetings
        self.decisions = [
            (d, units)
            for d, units in suggested
            if d.minutes.status == Minutes.Status.ISSUED
        ]
        # Grants: what the meetings services write, through the same function
        # (members.grants underneath); tasks made from the decided matters later
        # sync their meeting again, as task_assign does.
        for meeting in meetings:
            meeting_grants_sync(meeting=meeting)
