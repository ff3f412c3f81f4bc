"""The CRM store: typed models, repositories (all SQL), and the domain rules as services."""
