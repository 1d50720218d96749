"""Statistics of the joint service after 广东 2020's table: per region and per matter, and the
before/after burden on veterans (materials handed in, in-person visits)."""
