"""Analysis: pure coverage figures over placed partners and towns.

One module per noun: reach, matrix (town x category, targets, lights, score),
attributes, distance, freshness, phrases, headline and the bundle in summary.
May import registry, geo, dataset and the top-level helpers; never views or exchange.
"""
