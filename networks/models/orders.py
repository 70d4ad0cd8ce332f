"""Orders (приказ, распоряжение) and the programmes the structures serve."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .territory import Municipality, Organisation, Region

# --- Orders and programmes -----------------------------------------------------------------------


class Order(models.Model):
    class Kind(models.TextChoices):
        PRIKAZ = "prikaz", _("Приказ")
        RASPORYAZHENIE = "rasp", _("Распоряжение")
        POSTANOVLENIE = "post", _("Постановление")
        AGREEMENT = "agreement", _("Соглашение")

    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices, default=Kind.PRIKAZ)
    issuer = models.ForeignKey(
        Organisation, models.PROTECT, related_name="orders", verbose_name=_("издал")
    )
    number = models.CharField(_("номер"), max_length=50)
    date = models.DateField(_("дата"))
    title = models.CharField(_("заголовок"), max_length=500)
    file = models.FileField(_("файл"), upload_to="orders/%Y/", blank=True)

    class Meta:
        verbose_name = _("приказ (распоряжение)")
        verbose_name_plural = _("приказы и распоряжения")
        ordering = ["-date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number", "date"], name="order_unique_number")
        ]

    def __str__(self) -> str:
        return _("%(kind)s от %(date)s № %(number)s") % {
            "kind": self.get_kind_display(),
            "date": f"{self.date:%d.%m.%Y}",
            "number": self.number,
        }


class Programme(models.Model):
    """A programme or project the structures serve, with its period."""

    title = models.CharField(_("название"), max_length=500)
    owner = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("ответственная организация"),
    )
    order = models.ForeignKey(
        Order,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("утверждена приказом"),
    )
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("регион"))
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("муниципальное образование"),
    )
    starts_on = models.DateField(_("начало"))
    ends_on = models.DateField(_("окончание"), null=True, blank=True)

    class Meta:
        verbose_name = _("программа (проект)")
        verbose_name_plural = _("программы и проекты")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="programme_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        if self.ends_on:
            return f"{self.starts_on:%d.%m.%Y} – {self.ends_on:%d.%m.%Y}"
        return _("с %(date)s") % {"date": f"{self.starts_on:%d.%m.%Y}"}
