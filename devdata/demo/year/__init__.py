"""The demo's school year: what the structures of devdata.demo did in it.

`manage.py load_demo` (devdata's command, run by `make run`) calls devdata.demo.load_demo()
for the structures and their people, then `load_year()` here for plans, meetings and minutes,
materials and discussions, pairs' contacts and questionnaires, group statistics, deadlines,
reports and notices. Both are idempotent. devdata sits above every domain app and may import them all.

- calendar.py — the dates of the story, anchored to the school year;
- story.py — the demo's people and structures by key, and the two direct ways of writing;
- year_structures.py (with the S5 minutes' decisions followed up), year_groups.py (an S3 group's
  webinar and its announcement), year_mentoring.py, year_reports.py — the content, through the
  services.
"""

from .calendar import DemoCalendar
from .loader import YEAR_MODELS, YearResult, load_year

__all__ = ["YEAR_MODELS", "DemoCalendar", "YearResult", "load_year"]
