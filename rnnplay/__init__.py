"""rnnplay: a terminal playground for recurrent text models.

Two worlds meet here: TensorFlow/Keras trains (imported lazily, in ``rnnplay.training``) and NumPy
runs the trained models (``rnnplay.runtime``), so everything interactive starts in a fraction of a
second.
"""

__version__ = "0.1.0"
