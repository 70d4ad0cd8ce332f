"""Form widgets of the portal."""

from html import escape as _escape

from django import forms
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A <select> that writes its options in Python. Django's Select renders every option through
    a template, ≈ 0.15 ms each: a region's 543 host organisations and 70 municipalities in the
    structure filter cost 50 ms, more than the rest of the page (docs/PERFORMANCE.md). The HTML is
    Django's (tests/networks/test_widgets.py): the widget's attributes (id, class, aria-* that
    crispy adds), option groups, `selected` on the chosen option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        attrs = dict(widget["attrs"])
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = set(widget["value"])
        selected_once = False
        parts = [f'<select name="{escape(name)}"{_attributes(attrs)}>']
        for value, label in self.choices:
            group = label if isinstance(label, (list, tuple)) else None
            if group is not None:
                parts.append(f'<optgroup label="{escape(value)}">')
            for option_value, option_label in group if group is not None else [(value, label)]:
                text = "" if option_value is None else str(option_value)
                selected = text in chosen and (self.allow_multiple_selected or not selected_once)
                selected_once |= selected
                parts.append(
                    f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                    f"{escape(option_label)}</option>"
                )
            if group is not None:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


def escape(value) -> str:
    """django.utils.html.escape without its lazy-string wrapper and SafeString: the same text
    (it is html.escape of str(value)), at a fraction of the cost for hundreds of options."""
    return _escape(str(value))


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: in order, True as a bare name, False left
    out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
