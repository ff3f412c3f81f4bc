"""Embeddings, the vector index and matching; heavy libraries load only inside their loaders."""
