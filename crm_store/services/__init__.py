"""Domain rules: stages, follow-ups, contacts, permissions, metrics. They never commit."""
