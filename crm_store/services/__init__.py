"""Domain rules: stage transitions, follow-ups, contacts, permissions, metrics. They never commit."""
