"""Who may see and do what with reports, summaries and exports, one section per feature. Views and
templates ask here and never decide alone (networks.permissions gives the StructureAccess)."""
