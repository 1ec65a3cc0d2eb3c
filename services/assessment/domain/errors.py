"""Assessment's refusals, each a kind of ``services.shared.contracts.errors`` (a booking by an
application that is not accepted will be a ``NotPermitted``). None yet: the one use case so
far, eligibility, answers a question and refuses nothing."""
