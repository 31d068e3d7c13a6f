"""One module per tab of the app: Play, Words, Train, Models."""
