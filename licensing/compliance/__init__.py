"""Compliance status: the one place that decides what each licence owes and when it fell due.

Evidence is the union of compliance checks and training completions (a completed course counts
for the requirement code its course `satisfies`; safeguarding completions also write a check so
the grant rules see them). For each licence in force and each ongoing requirement of the policy
edition in force on the date, the due date is the latest evidence's expiry (or its refresher
date), or, without evidence, the policy's initial deadline. A requirement is overdue when its
due date is before the date asked about.

`population_due_items` evaluates a population in Python from three set-based queries (the holder
page and the hearing papers use it). `due_items_select` is the same evaluation as one SQL
statement, built from the same policy rules (`Rule.initial_due_sql` / `next_due_sql` beside their
Python twins); the daily scan uses it so that 150,000 holders never pass through Python.
tests/test_compliance_sql.py proves the two agree, item for item, on both databases.
"""
