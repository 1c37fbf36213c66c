"""Enforcement actions and what follows them: taking them (hearing or officer's immediate action),
effects, returns, appeals, NR3S duties and referrals."""
