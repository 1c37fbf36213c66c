"""Reports for managers: the quarterly compliance measure, hearing outcomes and licensing statistics."""
