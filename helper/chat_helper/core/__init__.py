"""What every flow shares: the external protocol, settings, errors, locks and time limits; it imports no flow."""
