"""The canonical JSON format (SPEC §10): export the whole store, import it into a fresh one."""

from crm_store.transfer.export import dump_canonical, export_store, listing_label, natural_key
from crm_store.transfer.importer import import_store, read_canonical
from crm_store.transfer.schema import ENTITIES, REFERENCE_FIELDS, SCHEMAS
from crm_store.transfer.validate import validate_canonical

__all__ = [
    "ENTITIES",
    "REFERENCE_FIELDS",
    "SCHEMAS",
    "dump_canonical",
    "export_store",
    "import_store",
    "listing_label",
    "natural_key",
    "read_canonical",
    "validate_canonical",
]
