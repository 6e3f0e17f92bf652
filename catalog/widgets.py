"""A <select> rendered in Python with the same HTML as Django's template.

The catalog's filter form has selects of ~40 categories and 34 provinces;
Django renders every <option> through two template includes, which made the
filter form ~40% of a built catalog page's Python (cProfile on the long-tail
mix, where nearly every page has its own filter values and so its own form).
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>\n',
                ((str(o["value"]), mark_safe(_attrs(o["attrs"])), o["label"]) for o in options),
            )
            if group_name:
                html = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, html)
            parts.append(html)
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            mark_safe(_attrs(widget["attrs"])),
            mark_safe("".join(parts)),
        )
