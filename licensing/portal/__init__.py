"""The licence holder's own service: online accounts for holders and applicants, linked to their
record in the register, and what each holder needs to do and by when."""
