"""Every text field of a form that is stored in a CharField has the model's
max_length, so what is typed is either stored whole or refused with a message
(a longer form field would fail or be cut in the database; no limit at all would
let it through to a server error on PostgreSQL)."""

from __future__ import annotations

import pytest

from meetings import forms as mforms
from meetings import forms_minutes
from meetings.models import Attendance, Meeting, Minutes, Topic
from members.forms import PositionAssignForm
from members.models import Membership
from oversight import forms as dforms
from oversight.models import Bulletin
from tasks import forms as tforms
from tasks.models import Task, WorkdayOverride, WorkPlan

PAIRS = [
    (mforms.MeetingForm, "title", Meeting, "title"),
    (mforms.MeetingForm, "place", Meeting, "place"),
    (mforms.MeetingForm, "delegation_note", Meeting, "delegation_note"),
    (mforms.TopicForm, "title", Topic, "title"),
    (mforms.AgendaAddForm, "presenter", Topic, "presenter"),
    (mforms.AttendanceRowForm, "title_at_meeting", Attendance, "title_at_meeting"),
    (mforms.AttendanceRowForm, "note", Attendance, "note"),
    (forms_minutes.MinutesForm, "title", Minutes, "title"),
    (tforms.TaskAssignForm, "title", Task, "title"),
    (tforms.TaskEditForm, "title", Task, "title"),
    (tforms.WorkPlanForm, "title", WorkPlan, "title"),
    (tforms.WorkdayOverrideForm, "note", WorkdayOverride, "note"),
    (dforms.BulletinEditForm, "title", Bulletin, "title"),
    (PositionAssignForm, "note", Membership, "note"),
]


@pytest.mark.parametrize(
    "form, name, model, model_field",
    PAIRS,
    ids=[f"{p[0].__name__}.{p[1]}" for p in PAIRS],
)
def test_form_field_length_matches_the_model(form, name, model, model_field) -> None:
    field = form.base_fields[name]
    limit = model._meta.get_field(model_field).max_length
    assert field.max_length == limit, (field.max_length, limit)
