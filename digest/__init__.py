"""The digest: article files in, an annotated, multilingual MkDocs site out.

Layout: intake/ (article files, imports, cleaning) -> translation/ (English for every
article) -> annotate/ (summaries, entities, stories, storylines), chained by pipeline.py;
site/ is the MkDocs side, cli/ the command line. model.py holds the plain data they pass.
"""

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"  # packaged defaults: settings, word lists, patterns
