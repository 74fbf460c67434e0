"""Load DIET (and any Rasa TensorFlow model) for serving without tracing training.

To give a model its weights, Rasa 3.6 (``RasaModel.load``) first trains it
for one step on one example, which makes TensorFlow trace the whole training
graph with its gradients: 79% of the Rasa server's startup here (py-spy,
make bench). One forward pass creates the same weights; the trained values
are then read from the model file as before, and the prediction graph is
traced as before. Fine-tuning (``rasa train --finetune``) keeps Rasa's path,
because it needs the optimizer's state.

``install()`` runs when Rasa imports this package (see ``__init__``).
"""

from typing import Any, Optional

from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

_rasa_load = RasaModel.load.__func__


def _load_for_serving(
    cls: Any,
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: Optional[RasaModelData] = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """Build the model with one forward pass, then read its trained weights."""
    if finetune_mode:
        return _rasa_load(cls, model_file_name, model_data_example, predict_data_example,
                          finetune_mode, *args, **kwargs)
    model = cls(*args, **kwargs)
    example, _ = RasaBatchDataGenerator(model_data_example, batch_size=1)[0]
    model.batch_loss(example)
    # The file also holds the optimizer's state, which serving does not use.
    model.load_weights(model_file_name).expect_partial()
    if predict_data_example:
        model.run_inference(predict_data_example)
    return model


def install() -> None:
    """Make Rasa load its TensorFlow models this way."""
    RasaModel.load = classmethod(_load_for_serving)


def uninstall() -> None:
    """Go back to Rasa's own loading (used by the test that compares both)."""
    RasaModel.load = classmethod(_rasa_load)
