"""`digest`: the command line (argparse glue over the library)."""
