"""The gateway's routes, one module per area of the HTTP contract. Each module is a mixin of
``@route`` handlers over the ``Backends`` clients; ``services.gateway.service.Gateway``
composes them. A new route is one declaration in its area's module."""
