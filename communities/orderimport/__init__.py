"""Order-document import (issue 16): a territory's coordinator uploads an order as DOCX (or a PDF
with a text layer); the worker reads its requisites and annex tables — groups with their links,
categories and administrators, working-group lists, the pairs table — and proposes structures,
members and roles in a staged preview; nothing is saved until the coordinator confirms.

It lives in communities, not networks, because confirming invites the people the order names by
e-mail (communities.services.membership.invitation_create), and networks may not import
communities (the layers contract in pyproject.toml). The models are networks' own: OrderImport,
StructureContact, StructureAct.

parser.py reads the file (pure functions over bytes), plan.py matches what it read with the
database (kinds, organisations, accounts, existing structures), services.py uploads, reads,
confirms and applies; the tasks are in tasks.py (found by config/celery.py)."""
