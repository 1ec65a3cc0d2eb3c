"""Pembinaan's refusals, each a kind of ``services.shared.contracts.errors`` (a transition not
allowed from a request's state will be a ``Conflict``). None yet: the budget calculators
refuse only bad input, which is the shared ``InvalidInput``."""
