"""A structure's reports for its deadlines: figures assembled from the record, the author's narrative, acceptance, downloads."""
