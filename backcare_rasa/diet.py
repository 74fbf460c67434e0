"""A DIET classifier that loads for serving without tracing training.

To give a model its weights, Rasa 3.6 (``RasaModel.load``) first trains it
for one step on one example, which makes TensorFlow trace the whole training
graph with its gradients: 79% of the Rasa server's startup here (py-spy,
make bench). One forward pass creates the same weights; the trained values
are then read from the model file as before, and the prediction graph is
traced as before. Fine-tuning (``rasa train --finetune``) keeps Rasa's path,
because it needs the optimizer's state.

Named in config.yml in place of ``DIETClassifier``; nothing else in Rasa changes.
"""

from typing import Any, Optional, Type

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class FastLoadingDIET(DIET):
    """DIET's TensorFlow model, built with one forward pass when loaded for serving."""

    @classmethod
    def load(
        cls,
        model_file_name: str,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        """Build the model with one forward pass, then read its trained weights."""
        if finetune_mode:
            return super().load(model_file_name, model_data_example, predict_data_example,
                                finetune_mode, *args, **kwargs)
        model = cls(*args, **kwargs)
        example, _ = RasaBatchDataGenerator(model_data_example, batch_size=1)[0]
        model.batch_loss(example)
        # The file also holds the optimizer's state, which serving does not use.
        model.load_weights(model_file_name).expect_partial()
        if predict_data_example:
            model.run_inference(predict_data_example)
        return model


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class FastLoadingDIETClassifier(DIETClassifier):
    """Rasa's DIETClassifier, trained the same way, loaded faster."""

    @staticmethod
    def model_class() -> Type[RasaModel]:
        """The TensorFlow model class: DIET with the faster load."""
        return FastLoadingDIET

