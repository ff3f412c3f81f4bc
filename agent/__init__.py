"""The copilot agent: LangGraph graph, model factory and the offline model."""
