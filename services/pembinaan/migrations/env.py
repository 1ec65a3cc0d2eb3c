from services.pembinaan.models import metadata
from services.shared.migrate import run_env

run_env(metadata)
