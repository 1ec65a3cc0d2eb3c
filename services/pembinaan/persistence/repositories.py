"""Pembinaan's queries, behind the unit of work (teams, lokus, documentation, ...). None yet:
no use case so far reads or writes pembinaan's own tables."""
