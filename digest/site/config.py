"""The plugin's options in mkdocs.yml (`plugins: - digest: {...}`)."""

from __future__ import annotations

import datetime
import difflib

from mkdocs.config import base
from mkdocs.config import config_options as c


class DigestConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # A YAML file overriding digest/data/settings.yml key by key.
    settings = c.Optional(c.File(exists=True))
    # Installed Argos packages; $DIGEST_MODELS_DIR wins, else the documented default
    # (`digest models list` prints it).
    models_dir = c.Optional(c.Type(str))
    # Where CTranslate2 runs the models (settings translate.device when unset): auto, cpu, cuda.
    device = c.Optional(c.Choice(("auto", "cpu", "cuda")))
    # Publish only the articles of these dates (settings articles.published_from / _until):
    # one repository published as several sites, a range of years each.
    published_from = c.Optional(c.Type((datetime.date, str)))
    published_until = c.Optional(c.Type((datetime.date, str)))
    # Content-keyed results of the expensive stages, reused by the next build (git-ignored).
    cache = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache/digest")
    # Who answers Material's search box: Pagefind's chunked index (fed each article's text
    # during the link stage, written while the build goes on) or Material's own lunr index,
    # which the browser downloads and indexes whole.
    search_engine = c.Choice(("pagefind", "lunr"), default="pagefind")
    # Pages a Pagefind index holds at most (it keeps ~200 KB an article page in memory until
    # it writes): a larger digest gets several, written one at a time (search_index.ShardedIndex).
    search_shard_pages = c.Type(int, default=12000)


def unknown_options_fail(errors: list, warnings: list, known: list[str]) -> tuple[list, list]:
    """MkDocs only warns of an option a plugin does not know, and a misspelt `published_from`
    would publish every date: an unknown option is an error naming the option meant."""
    kept = []
    for warning in warnings:
        key = warning[0] if isinstance(warning, tuple) else None
        if key is None or key in known:
            kept.append(warning)
            continue
        meant = difflib.get_close_matches(key, known, n=1)
        fix = f"did you mean '{meant[0]}'?" if meant else f"the options are {', '.join(sorted(known))}"
        errors.append((key, f"the digest plugin has no option '{key}' — {fix}"))
    return errors, kept
