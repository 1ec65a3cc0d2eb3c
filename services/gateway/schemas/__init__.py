"""marshmallow schemas of the gateway's HTTP bodies, one module per area (the area of
``routes/<area>.py``), built on ``base.py``. They validate every request (unknown fields ->
422, JSON types checked strictly) and are the source of the OpenAPI document."""
