"""Training courses and bookings, the compliance work queue and suspensions until compliant."""
