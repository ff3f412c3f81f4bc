"""LangChain tools over the CRM services: one module per domain, each exporting TOOLS."""
