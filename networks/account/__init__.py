"""A person's own account: registration with consent (152-ФЗ), the organisation picker, requests for
missing organisations, the profile, the export of one's data and the deletion of the account."""
