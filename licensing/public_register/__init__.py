"""The public register of licensed drivers, vehicles and operators (no sign-in).

Only what a council publishes: name, licence number, type, status and expiry, and for
vehicles the registration, make and plate number. Only licences in force are listed:
active ones, and suspended ones (shown as suspended, so the public can see that a licence
they are relying on is not currently valid). Applications, refusals, revocations, expired and
surrendered licences are not published."""
