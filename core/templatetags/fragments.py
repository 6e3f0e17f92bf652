"""{% slot "name" %}: where a higher app fills a piece of a lower app's page
(core.page_registry.register_slot), e.g. orders' cart form on catalog's product
page.

{% per_language "name" %}...{% endper_language %}: a piece of the layout
that is the same on every page in one language (footer links, the
programme's story), rendered once per language in each process.

Its `{% url %}` and `{% translate %}` tags otherwise run on every built page
(~0.5 ms of a product page's Python, the bench's build-cost phases). Only
put there what depends on nothing but the language and the URLconf: no
request, user, CSRF token, cart or object. A deploy starts new processes,
so a template change is picked up with the code.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.page_registry import slot_templates

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str):
    """Render each template registered for slot `name`, as {% include %} would."""
    engine = context.template.engine
    html = []
    for template_name in slot_templates(name):
        with context.push():
            html.append(engine.get_template(template_name).render(context))
    return mark_safe("".join(html))  # noqa: S308 - rendered templates, escaped as they render


_rendered: dict[tuple[str, str], str] = {}


class PerLanguageNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        key = (self.name, get_language() or "")
        html = _rendered.get(key)
        if html is None:
            html = _rendered[key] = self.nodelist.render(context)
        return mark_safe(html)  # noqa: S308 - the output of this template's own nodes


@register.tag
def per_language(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% per_language "name" %}')
    nodelist = parser.parse(("endper_language",))
    parser.delete_first_token()
    return PerLanguageNode(bits[1][1:-1], nodelist)
