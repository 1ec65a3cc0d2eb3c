"""The outside world pembinaan uses (e.g. evidence and establishment-document storage, the
monitoring XLSX export, the notifier's mail templates). None yet: the budget calculators need
none."""
