"""Enforcement actions and what follows them: effects, returns, appeals, NR3S duties and referrals."""
