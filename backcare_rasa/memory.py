"""Keep the loaded model out of Python's full garbage collections.

A loaded BackCare model is millions of Python objects (TensorFlow, spaCy,
Rasa's graph). Python's full (generation 2) collection walks all of them:
measured here, 12 full collections of 30-610 ms in the Rasa server, one of
613 ms while it answered 50 conversations, a stall for every one of them
(make bench's load with a gc callback timing each pass). What exists once the
server has started lives until it stops, so it is frozen (``gc.freeze``):
later collections walk only what turns create, and reference counting frees
memory exactly as before. ``python -m backcare_rasa run`` registers it on the
server's app (backcare_rasa/patches.py), whatever channels credentials.yml names.
"""

import gc
import logging
from typing import Any

logger = logging.getLogger(__name__)


async def freeze_loaded_objects(_app: Any, _loop: Any) -> None:
    """Collect once, then exempt everything alive now from later collections."""
    gc.collect()
    gc.freeze()
    logger.info("Model loaded: %d objects exempt from garbage collection.", gc.get_freeze_count())
