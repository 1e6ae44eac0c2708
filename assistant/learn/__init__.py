"""Learned parts of the product: small linear models whose parameters are data under ``corpus/fitted``.

Each model is fitted with scikit-learn by ``procurement-assistant fit`` and saved as JSON; at run
time it is applied with NumPy alone, so the product loads a few kilobytes, not a pickle.
"""
