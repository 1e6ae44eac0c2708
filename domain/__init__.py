"""The domain: what every layer shares and nothing imports above it.

The maturity model, the answer and citation types, the labels chunking writes and readers
match, text normal form, the manipulation filter and small shared constants.
"""
