"""The MkDocs side: the plugin, the pages, feeds, charts, the search index and publishing."""
