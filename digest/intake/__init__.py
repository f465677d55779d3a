"""Reading articles in: files, imports, cleaning, near-duplicates, languages, sources."""
