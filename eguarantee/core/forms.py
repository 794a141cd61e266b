from django import forms


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
