"""A deterministic, realistic demo brokerage for `copilot init --demo` (SPEC §10)."""

from crm_store.demo.generator import DEFAULT_SEED, generate_demo
from crm_store.demo.summary import BrokerLine, DemoSummary, render_summary

__all__ = ["DEFAULT_SEED", "BrokerLine", "DemoSummary", "generate_demo", "render_summary"]
