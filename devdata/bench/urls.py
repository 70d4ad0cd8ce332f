"""URLs of `make bench` only (ROOT_URLCONF of config/settings/bench.py, never of production): the
portal, plus one FLOOR view per main page.

A floor view does the least work that can show what its page shows: the same middleware (session,
the signed-in person), the same rows fetched by ONE hand-written SQL query through
connection.cursor(), rendered by a minimal template. The benchmark serves it from the same
gunicorn and database as the page; the page's throughput divided by its floor's is the price of
the ORM, the templates and the access checks. Every parameter comes from the query string (the
benchmark computes them), so a floor trusts what it is given: it is not a page for people.
"""

from django.conf import settings
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
WHERE s.region_id = %(region)s AND (%(kind)s::bigint IS NULL OR s.kind_id = %(kind)s)
  AND s.search_text LIKE %(q)s
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
        "kind": int(request.GET["kind"]) if request.GET.get("kind") else None,
        "q": "%" + "%".join(words) + "%",
        "first": year.first_day,
        "last": year.last_day,
    }
    rows = _fetch(LIST_SQL, params)
    return _page(request, "Структуры", [r[:-1] for r in rows], rows[0][-1] if rows else 0)


# --- A structure's page: the structure, its members in the year with their organisation's status,
# and its events of the year.

DETAIL_SQL = """
(SELECT 1, s.name, k.name, r.name, o.full_name, NULL::text, NULL::text, NULL::timestamptz,
        s.id
 FROM networks_structure s
 JOIN networks_structurekind k ON k.id = s.kind_id
 JOIN networks_region r ON r.id = s.region_id
 JOIN networks_organisation o ON o.id = s.host_id
 WHERE s.id = %(pk)s)
UNION ALL
(SELECT 2, u.last_name, u.first_name, m.role, uo.short_name,
        (SELECT string_agg(st.status, ',') FROM networks_organisationstatus st
         WHERE st.organisation_id = uo.id AND st.school_year = %(year)s),
        m.until::text, NULL, u.id
 FROM networks_membership m
 JOIN networks_user u ON u.id = m.user_id
 LEFT JOIN networks_organisation uo ON uo.id = u.organisation_id
 WHERE m.structure_id = %(pk)s AND m.since <= %(last)s AND (m.until IS NULL OR m.until >= %(first)s)
 ORDER BY m.until NULLS FIRST, m.role, u.last_name, u.first_name)
UNION ALL
(SELECT 3, e.title, e.form, e.status, NULL, NULL, NULL, e.starts_at, e.id
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
   AND e.status IN ('scheduled', 'proposed')
 ORDER BY e.starts_at, e.id LIMIT 11)
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


# --- The methodist's summary: every structure of the region working in the year (subcommunities
# included), in the page's order (municipality, kind, name), with its figures
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
WHERE s.region_id = %(region)s
  AND (s.term_start <= %(last)s OR (s.term_start IS NULL AND s.established_on <= %(last)s))
  AND (s.closed_on IS NULL OR s.closed_on >= %(first)s)
  AND (s.term_end IS NULL OR s.term_end >= %(first)s)
ORDER BY mu.name, k.code, s.name, s.id
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


# --- A plan's page: the plan, its items in order (each knowing whether an event held for it has
# signed minutes), its steps with who took them, and the versions of its school year.

PLAN_SQL = """
(SELECT 1, pl.id, pl.title, pl.status, pl.school_year::text, NULL::boolean, NULL::timestamptz
 FROM communities_plan pl WHERE pl.id = %(plan)s AND pl.structure_id = %(pk)s)
UNION ALL
(SELECT 2, i.id, i.title, i.form, i.responsible,
        i.done OR EXISTS (SELECT 1 FROM communities_event e WHERE e.plan_item_id = i.id
          AND e.status = 'held' AND EXISTS (SELECT 1 FROM communities_minutes mi
            WHERE mi.event_id = e.id AND mi.status = 'signed')),
        i.date::timestamptz
 FROM communities_planitem i WHERE i.plan_id = %(plan)s ORDER BY i.position, i.id)
UNION ALL
(SELECT 3, st.id, st.action, u.last_name, st.comment, NULL, st.at
 FROM communities_planstep st LEFT JOIN networks_user u ON u.id = st.by_id
 WHERE st.plan_id = %(plan)s ORDER BY st.at, st.id)
UNION ALL
(SELECT 4, v.id, v.title, v.status, v.version::text, NULL, NULL
 FROM communities_plan v JOIN communities_plan pl ON pl.id = %(plan)s
 WHERE v.structure_id = pl.structure_id AND v.school_year = pl.school_year
 ORDER BY v.version DESC)
"""


@login_required
def plan_floor(request, pk: int, plan_pk: int):
    return _page(request, "План", _fetch(PLAN_SQL, {"pk": pk, "plan": plan_pk}))


# --- A meeting's page: the event, its attendance list (members by surname with their
# organisation, then guests) and its minutes' versions.

MEETING_SQL = """
(SELECT 1, e.id, e.title, e.status, NULL::text, NULL::boolean, e.starts_at
 FROM communities_event e WHERE e.id = %(event)s AND e.structure_id = %(pk)s)
UNION ALL
(SELECT 2, a.id, COALESCE(u.last_name || ' ' || u.first_name, a.guest_name), a.response,
        COALESCE(o.short_name, a.guest_organisation), a.attended, a.responded_at
 FROM communities_attendance a LEFT JOIN networks_user u ON u.id = a.user_id
 LEFT JOIN networks_organisation o ON o.id = u.organisation_id
 WHERE a.event_id = %(event)s
 ORDER BY u.last_name ASC NULLS LAST, u.first_name, a.guest_name, a.id)
UNION ALL
(SELECT 3, mi.id, mi.number, mi.status, sb.last_name, NULL, mi.signed_at
 FROM communities_minutes mi LEFT JOIN networks_user sb ON sb.id = mi.signed_by_id
 WHERE mi.event_id = %(event)s ORDER BY mi.version DESC)
"""


@login_required
def meeting_floor(request, pk: int, event_pk: int):
    return _page(request, "Мероприятие", _fetch(MEETING_SQL, {"pk": pk, "event": event_pk}))


# --- The minutes' page: the minutes, their questions, the attendees (a signed version's own list
# fixed at signing, a draft's from the attendance) and the versions of the event's minutes.

MINUTES_SQL = """
WITH mi AS (
  SELECT mi.* FROM communities_minutes mi JOIN communities_event e ON e.id = mi.event_id
  WHERE mi.id = %(minutes)s AND e.structure_id = %(pk)s
)
(SELECT 1, mi.id, mi.number, mi.status, e.title, mi.date::text FROM mi
 JOIN communities_event e ON e.id = mi.event_id)
UNION ALL
(SELECT 2, it.id, it.question, it.decision, it.recommendations, NULL
 FROM communities_minutesitem it WHERE it.minutes_id = %(minutes)s ORDER BY it.position, it.id)
UNION ALL
(SELECT 3, u.id, u.last_name || ' ' || u.first_name, u.position, o.short_name, NULL
 FROM mi CROSS JOIN LATERAL jsonb_array_elements_text(
        CASE WHEN mi.status = 'signed' AND mi.attendees ? 'users' THEN mi.attendees->'users'
        ELSE '[]'::jsonb END) WITH ORDINALITY AS snap(user_id, n)
 JOIN networks_user u ON u.id = snap.user_id::bigint
 LEFT JOIN networks_organisation o ON o.id = u.organisation_id ORDER BY snap.n)
UNION ALL
(SELECT 3, u.id, COALESCE(u.last_name || ' ' || u.first_name, a.guest_name),
        u.position, COALESCE(o.short_name, a.guest_organisation), NULL
 FROM mi JOIN communities_attendance a ON a.event_id = mi.event_id AND a.attended
 LEFT JOIN networks_user u ON u.id = a.user_id
 LEFT JOIN networks_organisation o ON o.id = u.organisation_id
 WHERE mi.status <> 'signed' OR NOT (mi.attendees ? 'users')
 ORDER BY u.last_name ASC NULLS LAST, u.first_name, a.guest_name, a.id)
UNION ALL
(SELECT 4, v.id, v.number, v.status, NULL, v.version::text
 FROM communities_minutes v JOIN mi ON v.event_id = mi.event_id ORDER BY v.version DESC)
"""


@login_required
def minutes_floor(request, pk: int, minutes_pk: int):
    return _page(request, "Протокол", _fetch(MINUTES_SQL, {"pk": pk, "minutes": minutes_pk}))


# --- A school's page (issue 21): the school, its statuses by year with their orders, its risk
# profile of every year, its development documents with their history, its current curators, its
# people, and the first page (25) of all the support it got, newest first, with the total.

SCHOOL_SQL = """
WITH support AS (
  SELECT CASE WHEN k.is_pair AND m.role IN ('mentor', 'mentee') THEN 'pair' ELSE 'membership' END
           AS kind,
         m.since AS day, m.until, m.structure_id, s.name AS structure_name, m.role,
         k.name AS detail, m.user_id AS person_id, NULL::integer AS number
  FROM networks_membership m JOIN networks_user u ON u.id = m.user_id
  JOIN networks_structure s ON s.id = m.structure_id
  JOIN networks_structurekind k ON k.id = s.kind_id
  WHERE u.organisation_id = %(pk)s
  UNION ALL
  SELECT 'tutoring', t.since, t.until, t.structure_id, s.name, '', t.subject, t.teacher_id, NULL
  FROM mentoring_tutorassignment t JOIN networks_user u ON u.id = t.teacher_id
  LEFT JOIN networks_structure s ON s.id = t.structure_id
  WHERE u.organisation_id = %(pk)s
  UNION ALL
  SELECT 'help', (h.created_at AT TIME ZONE %(tz)s)::date, (h.answered_at AT TIME ZONE %(tz)s)::date,
         NULL, '', h.status, tp.name, h.requester_id,
         CASE WHEN h.helped THEN 1 WHEN NOT h.helped THEN 0 END
  FROM mentoring_helprequest h LEFT JOIN mentoring_topic tp ON tp.id = h.topic_id
  WHERE h.organisation_id = %(pk)s
  UNION ALL
  SELECT 'event', (e.starts_at AT TIME ZONE %(tz)s)::date, NULL, e.structure_id, s.name, e.form,
         e.title, NULL, count(*)::integer
  FROM communities_event e JOIN communities_attendance a ON a.event_id = e.id AND a.attended
  JOIN networks_user u ON u.id = a.user_id AND u.organisation_id = %(pk)s
  JOIN networks_structure s ON s.id = e.structure_id
  GROUP BY e.id, s.name
)
(SELECT 1, o.id::text, o.short_name, o.full_name, r.name, mu.name, su.short_name, NULL::date,
        NULL::bigint
 FROM networks_organisation o JOIN networks_region r ON r.id = o.region_id
 LEFT JOIN networks_municipality mu ON mu.id = o.municipality_id
 LEFT JOIN networks_organisation su ON su.id = o.successor_id
 WHERE o.id = %(pk)s AND o.kind = 'school')
UNION ALL
(SELECT 2, st.id::text, st.school_year::text, st.status, od.number, iss.short_name, NULL, od.date,
        NULL
 FROM networks_organisationstatus st LEFT JOIN networks_order od ON od.id = st.order_id
 LEFT JOIN networks_organisation iss ON iss.id = od.issuer_id
 WHERE st.organisation_id = %(pk)s ORDER BY st.school_year DESC, st.status)
UNION ALL
(SELECT 3, sr.id::text, f.school_year::text, f.name, sr.level, ub.last_name, NULL,
        sr.updated_at::date, NULL
 FROM schools_schoolrisk sr JOIN schools_riskfactor f ON f.id = sr.factor_id
 LEFT JOIN networks_user ub ON ub.id = sr.updated_by_id
 WHERE sr.organisation_id = %(pk)s ORDER BY f.school_year DESC, f.ordering, f.name)
UNION ALL
(SELECT 4, d.id::text, d.school_year::text, d.kind, d.status, f.name, NULL, d.created_at::date,
        NULL
 FROM schools_developmentdocument d LEFT JOIN schools_riskfactor f ON f.id = d.factor_id
 WHERE d.organisation_id = %(pk)s ORDER BY d.school_year DESC, d.kind, d.created_at DESC)
UNION ALL
(SELECT 5, c.document_id::text, c.status, by_.last_name, c.comment, NULL, NULL, c.at::date,
        NULL
 FROM schools_documentstatuschange c JOIN schools_developmentdocument d ON d.id = c.document_id
 LEFT JOIN networks_user by_ ON by_.id = c.by_id
 WHERE d.organisation_id = %(pk)s ORDER BY c.at, c.id)
UNION ALL
(SELECT 6, sc.user_id::text, u.last_name, u.first_name, u.position, NULL, NULL, sc.since, NULL
 FROM schools_schoolcurator sc JOIN networks_user u ON u.id = sc.user_id
 WHERE sc.organisation_id = %(pk)s AND sc.until IS NULL ORDER BY u.last_name, u.first_name)
UNION ALL
(SELECT 7, u.id::text, u.last_name, u.first_name, u.position, NULL, NULL,
        u.show_name_consent_at::date, NULL
 FROM networks_user u
 WHERE u.organisation_id = %(pk)s AND u.is_active AND u.anonymised_at IS NULL)
UNION ALL
(SELECT 8, kind, structure_name, detail, role, person_id::text, NULL, day,
        count(*) OVER ()
 FROM support ORDER BY day DESC, kind, structure_name LIMIT 25)
"""


@login_required
def school_floor(request, pk: int):
    return _page(request, "Школа", _fetch(SCHOOL_SQL, {"pk": pk, "tz": settings.TIME_ZONE}))


# --- The methodist's territory table (issue 21): the ШНОР/ШССУ of the territory in the year by
# name, each with its statuses, its factors of the year (and how many a measure covers), the pairs,
# other structures, tutoring and help requests of the year, the returned documents; the page's
# first 50 with the attendance of their people at events held in the year; the total.

TERRITORY_SQL = """
WITH schools AS (
  SELECT o.id, o.short_name, o.full_name, mu.name AS municipality,
         string_agg(st.status, ',' ORDER BY st.status) AS statuses
  FROM networks_organisationstatus st JOIN networks_organisation o ON o.id = st.organisation_id
  LEFT JOIN networks_municipality mu ON mu.id = o.municipality_id
  WHERE st.school_year = %(year)s AND st.status IN ('shnor', 'sssu') AND o.region_id = %(region)s
    AND (%(municipality)s::bigint IS NULL OR o.municipality_id = %(municipality)s)
  GROUP BY o.id, mu.name
), figures AS (
  SELECT sc.*,
    (SELECT count(DISTINCT m.structure_id) FROM networks_membership m
       JOIN networks_user u ON u.id = m.user_id JOIN networks_structure s ON s.id = m.structure_id
       JOIN networks_structurekind k ON k.id = s.kind_id
     WHERE u.organisation_id = sc.id AND k.is_pair AND m.role IN ('mentor', 'mentee')
       AND m.since <= %(last)s AND (m.until IS NULL OR m.until >= %(first)s)) AS pairs,
    (SELECT count(DISTINCT m.structure_id) FROM networks_membership m
       JOIN networks_user u ON u.id = m.user_id JOIN networks_structure s ON s.id = m.structure_id
       JOIN networks_structurekind k ON k.id = s.kind_id
     WHERE u.organisation_id = sc.id AND NOT (k.is_pair AND m.role IN ('mentor', 'mentee'))
       AND m.since <= %(last)s AND (m.until IS NULL OR m.until >= %(first)s)) AS memberships,
    (SELECT count(*) FROM mentoring_tutorassignment t JOIN networks_user u ON u.id = t.teacher_id
     WHERE u.organisation_id = sc.id AND t.since <= %(last)s
       AND (t.until IS NULL OR t.until >= %(first)s)) AS tutoring,
    (SELECT count(*) FROM mentoring_helprequest h WHERE h.organisation_id = sc.id
       AND h.created_at >= %(start)s AND h.created_at < %(end)s) AS help_requests,
    (SELECT count(*) FROM schools_developmentdocument d WHERE d.organisation_id = sc.id
       AND d.school_year = %(year)s AND d.status = 'returned') AS returned,
    (SELECT count(*) FROM schools_schoolrisk sr JOIN schools_riskfactor f ON f.id = sr.factor_id
     WHERE sr.organisation_id = sc.id AND f.school_year = %(year)s) AS factors,
    (SELECT count(*) FROM schools_schoolrisk sr JOIN schools_riskfactor f ON f.id = sr.factor_id
     WHERE sr.organisation_id = sc.id AND f.school_year = %(year)s AND EXISTS (
       SELECT 1 FROM schools_developmentdocument d WHERE d.organisation_id = sc.id
         AND d.school_year = %(year)s AND d.kind = 'antirisk' AND d.status = 'accepted'
         AND d.factor_id = sr.factor_id)) AS accepted_programmes,
    count(*) OVER () AS total
  FROM schools sc
), shown AS (
  SELECT * FROM figures ORDER BY short_name, full_name, id LIMIT 50
)
SELECT shown.id, COALESCE(NULLIF(shown.short_name, ''), shown.full_name), shown.municipality,
       shown.statuses, shown.factors, shown.accepted_programmes,
       shown.pairs + shown.memberships + shown.tutoring + shown.help_requests, shown.returned,
       (SELECT count(*) FROM communities_attendance a JOIN networks_user u ON u.id = a.user_id
        JOIN communities_event e ON e.id = a.event_id
        WHERE u.organisation_id = shown.id AND a.attended AND e.status = 'held'
          AND e.starts_at >= %(start)s AND e.starts_at < %(end)s),
       shown.total
FROM shown ORDER BY shown.short_name, shown.full_name, shown.id
"""


@login_required
def territory_floor(request):
    year = _year(request)
    start, end = year.moments
    params = {
        "region": int(request.GET["region"]),
        "municipality": int(request.GET["municipality"])
        if request.GET.get("municipality")
        else None,
        "year": year.start,
        "first": year.first_day,
        "last": year.last_day,
        "start": start,
        "end": end,
    }
    rows = _fetch(TERRITORY_SQL, params)
    return _page(request, "ШНОР и ШССУ", [r[:-1] for r in rows], rows[0][-1] if rows else 0)


urlpatterns = [
    path("bench-floor/structures/", structure_list_floor),
    path("bench-floor/structures/<int:pk>/", structure_detail_floor),
    path("bench-floor/home/", home_floor),
    path("bench-floor/summary/", summary_floor),
    path("bench-floor/pairs/<int:pk>/", pair_floor),
    path("bench-floor/structures/<int:pk>/plans/<int:plan_pk>/", plan_floor),
    path("bench-floor/structures/<int:pk>/events/<int:event_pk>/", meeting_floor),
    path("bench-floor/structures/<int:pk>/minutes/<int:minutes_pk>/", minutes_floor),
    path("bench-floor/schools/<int:pk>/", school_floor),
    path("bench-floor/schools/territory/", territory_floor),
    *portal_urlpatterns,
]
