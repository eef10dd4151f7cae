"""Test helpers: builders, synthetic data and small drivers the tests import (fixtures live in conftest.py)."""
