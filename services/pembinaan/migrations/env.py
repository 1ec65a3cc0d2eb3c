from services.pembinaan.persistence.models import Base
from services.shared.ops.migrate import run_env

run_env(Base.metadata)
