# Copyright (c) 2026, community_consultation developers and Contributors
# See license.txt

# The supervision remark's rules (who may remark, on what, immutability) are proven in
# tests/test_permissions.py, with the unit-restricted users they are about.
