from services.assessment.models import metadata
from services.shared.ops.migrate import run_env

run_env(metadata)
