"""URLs of `make bench` only (ROOT_URLCONF of config/settings/bench.py, never of production): the
portal, plus one FLOOR view per main page.

A floor view does the least work that can show what its page shows: the same middleware (session,
the signed-in person), the same rows fetched by ONE hand-written SQL query through
connection.cursor(), rendered by a minimal template. The benchmark serves it from the same
gunicorn and database as the page; the page's throughput divided by its floor's is the price of
the ORM, the templates and the access checks. Every parameter comes from the query string (the
benchmark computes them), so a floor trusts what it is given: it is not a page for people.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns
from networks.schoolyear import SchoolYear
from networks.search import tokens

TEMPLATE = engines["django"].from_string(
    """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>{% if total is not None %}<p>{{ total }}</p>{% endif %}
<table>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell|default_if_none:"" }}</td>{% endfor %}</tr>{% endfor %}</table>
</body></html>"""
)


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _page(request, title: str, rows, total=None) -> HttpResponse:
    return HttpResponse(TEMPLATE.render({"title": title, "rows": rows, "total": total}, request))


def _year(request) -> SchoolYear:
    return SchoolYear(int(request.GET["year"])) if "year" in request.GET else SchoolYear.current()


# --- The structure list: the first 25 structures of the filter, their member counts, the total.

LIST_SQL = """
SELECT s.id, s.name, p.name, s.closed_on, k.name, r.name, mu.name,
       COALESCE(NULLIF(o.short_name, ''), o.full_name),
       (SELECT count(*) FROM networks_membership m WHERE m.structure_id = s.id AND m.until IS NULL),
       count(*) OVER ()
FROM networks_structure s
JOIN networks_structurekind k ON k.id = s.kind_id
JOIN networks_region r ON r.id = s.region_id
LEFT JOIN networks_municipality mu ON mu.id = s.municipality_id
JOIN networks_organisation o ON o.id = s.host_id
LEFT JOIN networks_structure p ON p.id = s.parent_id
WHERE s.region_id = %(region)s AND s.kind_id = %(kind)s AND s.search_text LIKE %(q)s
  AND (s.term_start <= %(last)s OR (s.term_start IS NULL AND s.established_on <= %(last)s))
  AND (s.closed_on IS NULL OR s.closed_on >= %(first)s)
  AND (s.term_end IS NULL OR s.term_end >= %(first)s)
ORDER BY k.code, s.name
LIMIT 25
"""


@login_required
def structure_list_floor(request):
    year = _year(request)
    words = tokens(request.GET.get("q", ""))
    params = {
        "region": int(request.GET["region"]),
        "kind": int(request.GET["kind"]),
        "q": "%" + "%".join(words) + "%",
        "first": year.first_day,
        "last": year.last_day,
    }
    rows = _fetch(LIST_SQL, params)
    return _page(request, "Структуры", [r[:-1] for r in rows], rows[0][-1] if rows else 0)


# --- A structure's page: the structure, its members in the year with their organisation's status,
# and its events of the year.

DETAIL_SQL = """
(SELECT 1, s.name, k.name, r.name, o.full_name, NULL::text, NULL::text, NULL::timestamptz
 FROM networks_structure s
 JOIN networks_structurekind k ON k.id = s.kind_id
 JOIN networks_region r ON r.id = s.region_id
 JOIN networks_organisation o ON o.id = s.host_id
 WHERE s.id = %(pk)s)
UNION ALL
(SELECT 2, u.last_name, u.first_name, m.role, uo.short_name,
        (SELECT string_agg(st.status, ',') FROM networks_organisationstatus st
         WHERE st.organisation_id = uo.id AND st.school_year = %(year)s),
        m.until::text, NULL
 FROM networks_membership m
 JOIN networks_user u ON u.id = m.user_id
 LEFT JOIN networks_organisation uo ON uo.id = u.organisation_id
 WHERE m.structure_id = %(pk)s AND m.since <= %(last)s AND (m.until IS NULL OR m.until >= %(first)s)
 ORDER BY m.until NULLS FIRST, m.role, u.last_name, u.first_name)
UNION ALL
(SELECT 3, e.title, e.form, e.status, NULL, NULL, NULL, e.starts_at
 FROM communities_event e
 WHERE e.structure_id = %(pk)s AND e.starts_at >= %(first)s AND e.starts_at < %(next)s
 ORDER BY e.starts_at)
"""


@login_required
def structure_detail_floor(request, pk: int):
    year = _year(request)
    params = {
        "pk": pk,
        "year": year.start,
        "first": year.first_day,
        "last": year.last_day,
        "next": SchoolYear(year.start + 1).first_day,
    }
    return _page(request, "Структура", _fetch(DETAIL_SQL, params))


# --- A home page: the rows of its main blocks for the signed-in person. My structures; my
# territory's structures; my network pairs with their last contact; the pairs I curate or
# coordinate with how many are dormant; upcoming events of my structures; my open deadlines; reports
# of my territory waiting for a decision; plans waiting for my decision.

HOME_SQL = """
WITH mine AS (
  SELECT structure_id, role FROM networks_membership WHERE user_id = %(user)s AND until IS NULL
), territory AS (
  SELECT region_id, municipality_id, role FROM networks_territoryrole WHERE user_id = %(user)s
), covered AS (
  SELECT s.id FROM networks_structure s JOIN territory t ON t.region_id = s.region_id
   AND (t.municipality_id IS NULL OR t.municipality_id = s.municipality_id)
), pairs AS (
  SELECT s.id, s.region_id, COALESCE(s.term_start, s.established_on) AS started
  FROM networks_structure s JOIN networks_structurekind k ON k.id = s.kind_id AND k.is_pair
  WHERE s.closed_on IS NULL AND (
    s.id IN (SELECT structure_id FROM mine WHERE role = 'curator')
    OR s.region_id IN (SELECT region_id FROM territory WHERE role = 'coordinator'))
)
(SELECT 'мои структуры', s.id, s.name, k.code, mine.role, NULL::date
 FROM mine JOIN networks_structure s ON s.id = mine.structure_id
 JOIN networks_structurekind k ON k.id = s.kind_id ORDER BY k.code, s.name LIMIT 21)
UNION ALL
(SELECT 'территория', s.id, s.name, k.code, r.name, NULL
 FROM networks_structure s JOIN networks_structurekind k ON k.id = s.kind_id
 JOIN networks_region r ON r.id = s.region_id
 WHERE s.id IN (SELECT id FROM covered) ORDER BY k.code, s.name LIMIT 21)
UNION ALL
(SELECT 'моя пара', s.id, s.name, mine.role, NULL,
        (SELECT max(c.date) FROM mentoring_contact c WHERE c.pair_id = s.id)
 FROM mine JOIN networks_structure s ON s.id = mine.structure_id
 WHERE mine.role IN ('mentor', 'mentee') AND s.closed_on IS NULL ORDER BY s.name LIMIT 11)
UNION ALL
(SELECT 'пары', count(*), NULL, NULL, NULL, NULL FROM pairs
 WHERE COALESCE((SELECT max(c.date) FROM mentoring_contact c WHERE c.pair_id = pairs.id),
                pairs.started) <= %(dormant)s
 HAVING (SELECT count(*) FROM pairs) > 0)
UNION ALL
(SELECT 'мероприятия', e.id, e.title, s.name, e.status, e.starts_at::date
 FROM communities_event e JOIN networks_structure s ON s.id = e.structure_id
 WHERE e.structure_id IN (SELECT structure_id FROM mine) AND e.starts_at >= now()
   AND e.status = 'planned'
 ORDER BY e.starts_at LIMIT 10)
UNION ALL
(SELECT 'сроки', d.id, dr.title, s.name, NULL, d.due_on
 FROM reporting_deadline d JOIN reporting_deadlinerule dr ON dr.id = d.rule_id
 JOIN networks_structure s ON s.id = d.structure_id
 JOIN mine ON mine.structure_id = d.structure_id AND mine.role = dr.deliverer_role
 WHERE d.delivered_at IS NULL AND d.school_year = %(year)s ORDER BY d.due_on LIMIT 10)
UNION ALL
(SELECT 'отчёты', rp.id, rp.title, s.name, rp.status, rp.submitted_at::date
 FROM reporting_report rp JOIN networks_structure s ON s.id = rp.structure_id
 WHERE rp.status = 'submitted' AND rp.structure_id IN (SELECT id FROM covered)
 ORDER BY rp.submitted_at LIMIT 10)
UNION ALL
(SELECT 'планы', pl.id, pl.title, s.name, pl.status, pl.updated_at::date
 FROM communities_plan pl JOIN networks_structure s ON s.id = pl.structure_id
 WHERE pl.status IN ('submitted', 'agreed')
   AND (pl.structure_id IN (SELECT structure_id FROM mine WHERE role IN ('head', 'chair', 'coordinator'))
        OR pl.structure_id IN (SELECT id FROM covered))
 ORDER BY pl.updated_at LIMIT 10)
"""


@login_required
def home_floor(request):
    today = SchoolYear.current()
    params = {
        "user": request.user.pk,
        "year": today.start,
        "dormant": request.GET.get("dormant", "2000-01-01"),
    }
    return _page(request, "Главная", _fetch(HOME_SQL, params))


# --- The methodist's summary: every structure of the region working in the year with its figures
# (members, held meetings, signed minutes, the latest plan's status, pair contacts, deadlines met),
# the first page of 50 and the totals over all of them.

SUMMARY_SQL = """
SELECT s.id, s.name, k.code, mu.name,
       (SELECT count(*) FROM networks_membership m WHERE m.structure_id = s.id
          AND m.since <= %(last)s AND (m.until IS NULL OR m.until >= %(first)s)),
       (SELECT count(*) FROM communities_event e WHERE e.structure_id = s.id AND e.status = 'held'
          AND e.starts_at >= %(first)s AND e.starts_at < %(next)s),
       (SELECT count(*) FROM communities_minutes mi JOIN communities_event e ON e.id = mi.event_id
          WHERE e.structure_id = s.id AND mi.status = 'signed'
          AND e.starts_at >= %(first)s AND e.starts_at < %(next)s),
       (SELECT pl.status FROM communities_plan pl WHERE pl.structure_id = s.id
          AND pl.school_year = %(year)s ORDER BY pl.version DESC LIMIT 1),
       (SELECT count(*) FROM mentoring_contact c WHERE c.pair_id = s.id
          AND c.date BETWEEN %(first)s AND %(last)s),
       (SELECT count(*) FROM reporting_deadline d WHERE d.structure_id = s.id
          AND d.school_year = %(year)s),
       (SELECT count(*) FROM reporting_report rp WHERE rp.structure_id = s.id
          AND rp.school_year = %(year)s AND rp.status IN ('submitted', 'accepted'))
FROM networks_structure s
JOIN networks_structurekind k ON k.id = s.kind_id
LEFT JOIN networks_municipality mu ON mu.id = s.municipality_id
WHERE s.region_id = %(region)s AND s.parent_id IS NULL
  AND (s.term_start <= %(last)s OR (s.term_start IS NULL AND s.established_on <= %(last)s))
  AND (s.closed_on IS NULL OR s.closed_on >= %(first)s)
  AND (s.term_end IS NULL OR s.term_end >= %(first)s)
ORDER BY k.code, s.name
"""


@login_required
def summary_floor(request):
    year = _year(request)
    params = {
        "region": int(request.GET["region"]),
        "year": year.start,
        "first": year.first_day,
        "last": year.last_day,
        "next": SchoolYear(year.start + 1).first_day,
    }
    rows = _fetch(SUMMARY_SQL, params)
    totals = [sum(r[i] or 0 for r in rows) for i in (4, 5, 6, 8, 9, 10)]
    return _page(request, "Сводка", rows[:50], totals)


# --- A pair's page: the pair, everyone who has been in it, its contacts, the questionnaire answers.

PAIR_SQL = """
(SELECT 1, s.name, k.name, r.name, NULL::text, s.established_on, NULL::boolean
 FROM networks_structure s JOIN networks_structurekind k ON k.id = s.kind_id
 JOIN networks_region r ON r.id = s.region_id
 WHERE s.id = %(pk)s)
UNION ALL
(SELECT 2, u.last_name, u.first_name, m.role, o.short_name, m.since, m.until IS NULL
 FROM networks_membership m JOIN networks_user u ON u.id = m.user_id
 LEFT JOIN networks_organisation o ON o.id = u.organisation_id
 WHERE m.structure_id = %(pk)s ORDER BY m.until DESC NULLS FIRST, m.role, u.last_name)
UNION ALL
(SELECT 3, c.topic, c.form, c.channel, lb.last_name, c.date, NULL
 FROM mentoring_contact c LEFT JOIN networks_user lb ON lb.id = c.logged_by_id
 WHERE c.pair_id = %(pk)s ORDER BY c.date DESC, c.id DESC)
UNION ALL
(SELECT 4, rd.title, rs.side, NULL, NULL, rs.submitted_at::date, NULL
 FROM mentoring_response rs JOIN mentoring_round rd ON rd.id = rs.round_id
 WHERE rs.pair_id = %(pk)s ORDER BY rs.submitted_at)
"""


@login_required
def pair_floor(request, pk: int):
    return _page(request, "Пара", _fetch(PAIR_SQL, {"pk": pk}))


urlpatterns = [
    path("bench-floor/structures/", structure_list_floor),
    path("bench-floor/structures/<int:pk>/", structure_detail_floor),
    path("bench-floor/home/", home_floor),
    path("bench-floor/summary/", summary_floor),
    path("bench-floor/pairs/<int:pk>/", pair_floor),
    *portal_urlpatterns,
]
