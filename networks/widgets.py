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


class _QuickInputMixin:
    """An <input> written in Python, as django/forms/widgets/input.html writes it (≈ 0.1–0.5 ms
    each through the template renderer: a plan's «done» checkbox and note per item were a fifth
    of its page, issue 19)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        if widget["value"] is not None:
            html += f' value="{escape(widget["value"])}"'
        return mark_safe(f"{html}{_attributes(widget['attrs'])}>")


class QuickTextInput(_QuickInputMixin, forms.TextInput):
    pass


class QuickCheckboxInput(_QuickInputMixin, forms.CheckboxInput):
    pass


_QUICK = {forms.TextInput: QuickTextInput, forms.CheckboxInput: QuickCheckboxInput}


def quick_widgets(form):
    """Gives the form's plain text inputs and checkboxes their Quick twins (same attributes, same
    HTML): for pages that render many small forms, without changing the forms themselves."""
    for field in form.fields.values():
        quick_class = _QUICK.get(type(field.widget))
        if quick_class is not None:
            old = field.widget
            new = quick_class(attrs=old.attrs)
            new.is_required, new.is_localized = old.is_required, old.is_localized
            field.widget = new
    return form
