"""Material's JavaScript-only chrome, written once for the site instead of into every page.

Every page Material writes carries ~4 KB that only its JavaScript uses: the search box's
dialog, its configuration (with the search's translations), the script that restores a
chosen colour scheme and the "Back to top" button. On a 100,000-article digest (~180,000
pages) that is ~0.7 GB of the same bytes. With the digest plugin on, a page carries one
<script> tag instead (theme/main.html, block config), and assets/javascripts/digest-chrome.js
(theme/assets/javascripts/, with Material's chrome rendered here from its own templates put in)
adds them back as Material would have written them, before its bundle runs. A reader without
JavaScript loses nothing: none of it works without.

The navigation drawer goes there too on the pages outside the nav (articles, entities,
stories: ~2.5 KB each, the same on all of them, since Material marks no item of it). It is
the one part that works without JavaScript, as a narrow screen's menu: there the header's
tabs stand in for it (theme/assets/stylesheets/digest.css). Only with `navigation.tabs` on
and `toc.integrate` off (which puts each page's own contents into the drawer).

Material's partials are replaced by theme/partials/digest/chrome/*.html through one more Jinja
loader, only while the plugin is on; Material's originals stay reachable as "material/<name>".
A theme other than Material, or a theme folder that overrides these partials itself, keeps
Material's usual pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2

from .compact_html import without_indentation

SCRIPT = "assets/javascripts/digest-chrome.js"  # in the theme and the site
# Material's partial -> the theme's replacement.
_REPLACED = {
    "partials/search.html": "partials/digest/chrome/search.html",
    "partials/top.html": "partials/digest/chrome/top.html",
    "partials/javascripts/palette.html": "partials/digest/chrome/palette.html",
    "partials/nav.html": "partials/digest/chrome/nav.html",
}
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def share_chrome(env: jinja2.Environment, config) -> bool:
    """Make `env` render pages with the shared chrome, where it can: the theme is Material and
    no theme folder before Material's overrides the partials this replaces."""
    if config.theme.name != "material":
        return False
    theme_dirs = [Path(d) for d in config.theme.dirs]
    material = next((d for d in theme_dirs if d.parent.name == "material" and (d / "base.html").is_file()), None)
    if material is None or any((d / name).is_file() for d in theme_dirs[:theme_dirs.index(material)]
                               for name in _REPLACED):
        return False
    theme = env.loader

    def replacement(name: str):
        return theme.get_source(env, _REPLACED[name]) if name in _REPLACED else None

    env.loader = jinja2.ChoiceLoader([
        jinja2.FunctionLoader(replacement),
        jinja2.PrefixLoader({"material": jinja2.FileSystemLoader(material)}),
        theme,
    ])
    env.globals["digest_chrome"] = SCRIPT
    return True


def chrome_script(env: jinja2.Environment, config, nav, search_engine: str | None) -> str:
    """digest-chrome.js for the site: Material's chrome rendered once at the site's root
    (base_url "."), put into the theme's script. The navigation drawer is the one a page
    outside the nav shows (no item marked as the page)."""
    context = {"config": config, "nav": nav, "page": None, "base_url": ".",
               "features": config.theme.get("features") or []}
    context["lang"] = env.get_template("partials/language.html").make_module(context)
    base = env.get_template("material/base.html")
    material_config = _CONFIG.search("".join(base.blocks["config"](base.new_context(context))))
    chrome = {
        "config": json.loads(material_config.group(1)),
        "search": env.get_template("material/partials/search.html").render(context).strip(),
        "top": env.get_template("material/partials/top.html").render(context).strip()
        if "navigation.top" in context["features"] else None,
        "nav": without_indentation(env.get_template("material/partials/nav.html").render(context).strip()),
        "engine": search_engine,
    }
    code = env.loader.get_source(env, SCRIPT)[0]
    # ensure_ascii: no character in the data can end a line of the script.
    return code.replace("__DIGEST_CHROME__", json.dumps(chrome, ensure_ascii=True), 1)
