"""The deadline rules of a region, kept by its coordinators in the browser instead of the Django
admin (issue 16): the national rules (from the orders, set by the operators) are shown read-only;
the region's own rules are added, changed and switched off here, and a region's rule may stand
instead of a national one there (DeadlineRule.replaces)."""
