"""The territory's orders and programmes, kept by its coordinators in the browser instead of the
Django admin (issue 16): the orders register with the orders' files, and the programmes."""
