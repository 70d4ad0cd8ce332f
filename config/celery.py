import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The order-document import keeps its tasks in its own package (communities/orderimport/tasks.py).
app.autodiscover_tasks(["communities.orderimport"])
