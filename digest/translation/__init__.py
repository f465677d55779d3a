"""English for every article: Argos packages, the translation store, decoding (locally or on a Dask cluster)."""
