from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


def bootstrap(form):
    """Give every widget Bootstrap 5's class for its kind."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select form-select-sm" if form.prefix == "filter" else "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class BootstrapModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


def fast_widget(bound_field):
    """A filter bar's widget as HTML without Django's per-widget (and per-option) template
    renders, which cost a list page more than its table. Text inputs and plain selects
    only; anything else renders the usual way."""
    widget = bound_field.field.widget
    if type(widget) not in (forms.TextInput, forms.NumberInput, forms.Select, forms.DateTimeInput, forms.DateInput):
        return bound_field.as_widget()
    attrs = widget.build_attrs(widget.attrs, {"id": bound_field.auto_id, "name": bound_field.html_name})
    value = bound_field.value()
    if type(widget) is forms.Select:
        current = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) == current else ""}>{escape(label)}</option>'
            for key, label in bound_field.field.choices
        )
        return mark_safe(f"<select{flatatt(attrs)}>{options}</select>")  # noqa: S308  escaped above
    attrs["type"] = widget.input_type
    if value not in (None, ""):
        attrs["value"] = widget.format_value(value)
    return mark_safe(f"<input{flatatt(attrs)}>")  # noqa: S308  flatatt escapes
