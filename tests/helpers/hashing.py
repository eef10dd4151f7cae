"""The cheap argon2id hasher the tests give the services (production parameters: passwords.production_hasher)."""

from __future__ import annotations

from argon2 import PasswordHasher

# argon2id at a small cost: with the production cost the hundreds of logins and re-authentications in the suite
# spend most of its time hashing. Lockout, rules and re-authentication do not depend on the cost;
# tests/services/test_auth.py checks the production parameters and that weaker hashes are upgraded.
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
