"""The password hasher: Argon2id with parameters a payday can afford.

Django's own Argon2 parameters (100 MiB, 2 passes, 8 lanes) cost about 0.2 CPU-seconds per
verification on our nodes, which at payday sized every web node by the sign-ins alone. These
are the first of the OWASP Password Storage Cheat Sheet's argon2id configurations (19 MiB,
2 passes, 1 lane), measured at about a tenth of the CPU; the choice and its trade-off are in
docs/security.md ("Hashing").

The algorithm name stays "argon2": stored hashes keep Django's format, any Argon2 hash still
verifies (its parameters are read from the hash), and a hash with other parameters is
rewritten with these at the next successful sign-in (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PaydayArgon2PasswordHasher(Argon2PasswordHasher):
    memory_cost = 19 * 1024  # KiB: 19 MiB held per concurrent sign-in
    time_cost = 2
    parallelism = 1
