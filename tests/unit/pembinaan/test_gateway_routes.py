"""The gateway is one class composed of every area's routes: a pembinaan route method whose
name another area also uses would be shadowed by it (the route then answers 405). Each of
pembinaan's route methods is the one the composed gateway runs."""
from __future__ import annotations

from services.gateway.routes.pembinaan import PREFIX, PembinaanRoutes
from services.gateway.service import Gateway
from services.gateway.web import ROUTES


def test_every_pembinaan_route_method_is_the_gateways():
    methods = {name: value for name, value in vars(PembinaanRoutes).items()
               if callable(value) and not name.startswith("_")}
    assert len(methods) == len([r for r in ROUTES if r.path.startswith(PREFIX + "/")])
    for name, method in methods.items():
        assert getattr(Gateway, name) is method, name
