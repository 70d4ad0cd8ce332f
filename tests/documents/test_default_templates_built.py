"""The shipped default templates are what `manage.py build_default_templates` writes (issue 18):
a change to the builder (its layout, its shared table and signature helpers) that is not followed
by a rebuild and a commit of documents/default_templates/ fails here, part by part."""

from __future__ import annotations

import io
import zipfile

import pytest

from documents.management.commands.build_default_templates import BUILDERS, TARGET

# docProps/core.xml carries the time python-docx wrote the file: not the template's content.
STAMPED = {"docProps/core.xml"}


def xml_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name.endswith((".xml", ".rels")) and name not in STAMPED
        }


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_the_committed_default_template_is_what_the_builder_writes(kind):
    built = io.BytesIO()
    BUILDERS[kind]().save(built)

    committed = xml_parts((TARGET / f"{kind}.docx").read_bytes())
    assert "word/document.xml" in committed
    assert xml_parts(built.getvalue()) == committed
