"""Who may do what in mentoring: small predicates over networks.permissions.StructureAccess and
the person, one section per feature. Views and templates ask here and never decide alone.

A pair's contact log and questionnaire answers are visible to the pair, its curators and the
territory's coordinators — nobody else (not the territory's methodists either).
"""
