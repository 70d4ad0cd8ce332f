"""The version for the visually impaired (issue 20; ГОСТ Р 52872-2019, Рособрнадзор order № 831).

A switch in the header of every page, the sign-in page included, turns it on; a bar then offers the
font size, the colour scheme, the letter spacing and images. The choice is kept in a cookie for
everyone and, for a signed-in person, in their profile too (`User.vision`), so it follows them to
another browser. It is a handful of classes on <html> that static/css/vision.css turns into the
layout: one column, no animation, the scheme's colours on everything.

Every control is a small POST form with buttons: it works without JavaScript and with the keyboard.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from django.utils.translation import gettext_lazy as _

COOKIE = "vision"
COOKIE_MAX_AGE = 365 * 24 * 3600

FONTS = {"normal": _("Обычный"), "large": _("Крупный"), "larger": _("Очень крупный")}
SCHEMES = {
    "bw": _("Чёрным по белому"),
    "wb": _("Белым по чёрному"),
    "blue": _("Тёмно-синим по голубому"),
}
SPACINGS = {"normal": _("Обычный"), "wide": _("Увеличенный")}
IMAGES = {"on": _("Показывать"), "off": _("Не показывать")}
CHOICES = {"font": FONTS, "scheme": SCHEMES, "spacing": SPACINGS, "images": IMAGES}


@dataclass(frozen=True)
class Vision:
    on: bool = False
    font: str = "large"
    scheme: str = "bw"
    spacing: str = "normal"
    images: str = "on"

    @classmethod
    def parse(cls, text: str | None) -> Vision:
        """«font=large;scheme=wb;…» as stored; anything unknown is left at its default, and an
        empty text is the ordinary version."""
        if not text:
            return cls()
        values = {}
        for part in text.split(";"):
            name, _sep, value = part.partition("=")
            if value in CHOICES.get(name, ()):
                values[name] = value
        return cls(on=True, **values)

    def dump(self) -> str:
        if not self.on:
            return ""
        return ";".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self) if f.name != "on")

    def changed(self, data) -> Vision:
        """This choice with what a form posted: `on` (1/0) and any of the settings."""
        values = {name: data[name] for name in CHOICES if data.get(name) in CHOICES[name]}
        on = {"1": True, "0": False}.get(data.get("on", ""), self.on or bool(values))
        return replace(self, on=on, **values)

    @property
    def classes(self) -> str:
        if not self.on:
            return ""
        return " ".join(
            [
                "vi",
                f"vi-font-{self.font}",
                f"vi-scheme-{self.scheme}",
                f"vi-spacing-{self.spacing}",
                f"vi-images-{self.images}",
            ]
        )


def vision_of(request) -> Vision:
    """The person's profile choice when signed in and set, else the browser's cookie."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.vision:
        return Vision.parse(user.vision)
    return Vision.parse(request.COOKIES.get(COOKIE))


def vision(request) -> dict:
    """Context processor: the choice and the <html> classes for every page."""
    current = vision_of(request)
    return {"vision": current, "vision_classes": current.classes, "vision_choices": CHOICES}
