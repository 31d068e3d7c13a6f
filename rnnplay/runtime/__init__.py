"""NumPy side: forward passes over exported weights. Nothing here imports TensorFlow."""
