"""What the digest attaches to articles: summaries, entities, related coverage, stories, storylines."""
