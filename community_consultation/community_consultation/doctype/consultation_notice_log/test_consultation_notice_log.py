# Copyright (c) 2026, community_consultation developers and Contributors
# See license.txt

# Who receives which notice, and its log, are proven in tests/test_notices.py.
