"""How passwords are stored: Argon2id with the parameters of OWASP's Password Storage Cheat Sheet
(19 MiB of memory, 2 passes, 1 lane).

Django's default, PBKDF2-SHA256 at 1,000,000 iterations, costs 0.38 s of CPU per sign-in on this
hardware: 20 people signing in at the start of a shift queue for 6 s, and every sign-in takes a
web worker away from everyone else (issue 15). Argon2id is the hash Django's documentation
recommends first; being memory-hard, each guess also costs an attacker 19 MiB, which GPUs and
ASICs pay far more for than PBKDF2's pure CPU work, so the cheaper sign-in is not a weaker store.

Hashes written before (PBKDF2) still verify through the hashers after the first in
settings.PASSWORD_HASHERS, and Django rewrites them as Argon2id at the next sign-in; so does a
change of these parameters (Argon2PasswordHasher.must_update compares them).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id, OWASP's minimum configuration (m=19 MiB, t=2, p=1). The algorithm name stays
    "argon2", so hashes of Django's own Argon2 hasher verify and are upgraded to these parameters."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
