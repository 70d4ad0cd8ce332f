"""Documents rendered from DOCX templates the region can edit in Word (issue 18).

Each kind of document (minutes, plan, …) has a shipped default template (documents/default_templates/,
built by `manage.py build_default_templates`) laid out after ГОСТ Р 7.0.97-2016; a region's
coordinator may upload their own for their region, which is checked by rendering it with sample
data before it is used. Rendering is docxtpl (Jinja in the DOCX's XML) in a sandboxed Jinja
environment. The apps above build the context; this app knows nothing of minutes or plans.
"""
