"""``keras.layers``: each layer class jkeras has in Java (``jkeras.layers.Layers.classNames()``), built from
Keras 2.3.1's arguments through ``Layers.deserialize``; ``Input``; the merge functions (``add``,
``concatenate``, ...). A class Java lacks fails with ``not supported by jkeras yet: keras.layers.X``."""

import re

import numpy as np

from jkeras.shim import _java, module_getattr, not_supported
from jkeras.shim._config import to_config

__jkeras_shim__ = True

# Keras 2.3.1's positional parameters of each layer's __init__, in order (keywords beyond these are
# passed through by name).
_CONV = "filters kernel_size strides padding data_format dilation_rate activation use_bias"
_POOL = "pool_size strides padding data_format"
_RNN_TAIL = "kernel_initializer recurrent_initializer bias_initializer"
POSITIONAL = {
    "Dense": "units activation use_bias kernel_initializer bias_initializer",
    "Activation": "activation",
    "Dropout": "rate noise_shape seed",
    "Flatten": "data_format",
    "Reshape": "target_shape",
    "Permute": "dims",
    "RepeatVector": "n",
    "Masking": "mask_value",
    "ActivityRegularization": "l1 l2",
    "Lambda": "function output_shape mask arguments",
    "SpatialDropout1D": "rate",
    "SpatialDropout2D": "rate data_format",
    "SpatialDropout3D": "rate data_format",
    "GaussianNoise": "stddev",
    "GaussianDropout": "rate",
    "AlphaDropout": "rate noise_shape seed",
    "LeakyReLU": "alpha",
    "PReLU": "alpha_initializer alpha_regularizer alpha_constraint shared_axes",
    "ELU": "alpha",
    "ThresholdedReLU": "theta",
    "Softmax": "axis",
    "ReLU": "max_value negative_slope threshold",
    "Concatenate": "axis",
    "Dot": "axes normalize",
    "Conv1D": _CONV,
    "Conv2D": _CONV,
    "Conv2DTranspose": "filters kernel_size strides padding output_padding data_format dilation_rate activation",
    "SeparableConv2D": _CONV.replace("use_bias", "depth_multiplier activation use_bias").replace(
        " activation use_bias", " use_bias", 1
    ),
    "DepthwiseConv2D": "kernel_size strides padding depth_multiplier data_format dilation_rate activation use_bias",
    "MaxPooling1D": _POOL,
    "MaxPooling2D": _POOL,
    "AveragePooling1D": _POOL,
    "AveragePooling2D": _POOL,
    "GlobalMaxPooling1D": "data_format",
    "GlobalMaxPooling2D": "data_format",
    "GlobalAveragePooling1D": "data_format",
    "GlobalAveragePooling2D": "data_format",
    "UpSampling1D": "size",
    "UpSampling2D": "size data_format interpolation",
    "ZeroPadding1D": "padding",
    "ZeroPadding2D": "padding data_format",
    "Cropping1D": "cropping",
    "Cropping2D": "cropping data_format",
    "BatchNormalization": "axis momentum epsilon center scale",
    "Embedding": "input_dim output_dim embeddings_initializer embeddings_regularizer activity_regularizer "
    "embeddings_constraint mask_zero input_length",
    "SimpleRNN": "units activation use_bias " + _RNN_TAIL,
    "LSTM": "units activation recurrent_activation use_bias " + _RNN_TAIL,
    "GRU": "units activation recurrent_activation use_bias " + _RNN_TAIL,
    "Bidirectional": "layer merge_mode weights",
    "TimeDistributed": "layer",
}
POSITIONAL = {k: tuple(v.split()) for k, v in POSITIONAL.items()}
# SeparableConv2D: Keras 2.3.1 puts depth_multiplier after dilation_rate.
POSITIONAL["SeparableConv2D"] = (
    "filters kernel_size strides padding data_format dilation_rate depth_multiplier activation use_bias".split()
)

# Keras 2.3.1's other names for the same classes.
ALIASES = {
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "Convolution2DTranspose": "Conv2DTranspose",
    "Deconvolution2D": "Conv2DTranspose",
    "Deconv2D": "Conv2DTranspose",
    "SeparableConvolution2D": "SeparableConv2D",
    "MaxPool1D": "MaxPooling1D",
    "MaxPool2D": "MaxPooling2D",
    "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D",
}

# The base Layer's keywords (Keras 2.3.1's Layer.__init__ allowed_kwargs).
_BASE = ("input_shape", "batch_input_shape", "batch_size", "dtype", "name", "trainable", "weights", "input_dtype")
_INPUT_DIM_LAYERS = ("Dense", "SimpleRNN", "LSTM", "GRU", "Conv1D")

_wrappers = {}


class KerasTensor:
    """A symbolic tensor of the functional API (a Java ``KerasTensor``): ``x = Dense(8)(inp)``."""

    def __init__(self, j):
        self._j = j

    @property
    def shape(self):
        return _java.shape_tuple(self._j.shape())

    _keras_shape = shape

    @property
    def name(self):
        return str(self._j.name())

    @property
    def dtype(self):
        return str(self._j.dtype().kerasName())

    def __repr__(self):
        return "<tf.Tensor '%s' shape=%s dtype=%s>" % (self.name, self.shape, self.dtype)

    def _unsupported_op(self, *args):
        raise not_supported("arithmetic on Keras tensors", "use the merge layers (Add, Multiply, ...) instead")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _unsupported_op
    __getitem__ = __neg__ = __pow__ = _unsupported_op


def wrap_tensors(jlist):
    out = [KerasTensor(t) for t in jlist]
    return out[0] if len(out) == 1 else out


def unwrap_tensors(x, what="a layer"):
    items = x if isinstance(x, (list, tuple)) else [x]
    out = []
    for t in items:
        if not isinstance(t, KerasTensor):
            raise ValueError(
                "%s was called with an input that isn't a symbolic tensor. Received type: %s. Full input: %r. "
                "All inputs to the layer should be tensors." % (what, type(t), x)
            )
        out.append(t._j)
    return out


class Layer:
    """The base of every layer. Layers of your own (subclasses with ``build``/``call`` in Python) are not
    supported yet: their ``call`` would have to run TensorFlow in Python."""

    _class_name = None
    _positional = ()

    def __init__(self, *args, **kwargs):
        if type(self)._class_name is None:
            raise not_supported(
                "keras.layers.Layer subclasses written in Python (%s)" % type(self).__name__,
                "port the layer to Java (a jkeras.layers.Layer subclass) and register it with Layers.register",
            )
        name = type(self)._class_name
        if len(args) > len(self._positional):
            raise TypeError(
                "__init__() takes %d positional arguments but %d were given"
                % (len(self._positional) + 1, len(args) + 1)
            )
        config = dict(zip(self._positional, args))
        for k, v in kwargs.items():
            if k in config:
                raise TypeError("__init__() got multiple values for argument '%s'" % k)
            config[k] = v
        if "input_dim" in config and name in _INPUT_DIM_LAYERS and "input_shape" not in config:
            dim = config.pop("input_dim")
            length = config.pop("input_length", None)
            config["input_shape"] = (length, dim) if name != "Dense" else (dim,)
        if name == "Embedding" and config.get("input_length") is not None and "input_shape" not in config:
            config["input_shape"] = (config["input_length"],)
        if "input_shape" in config:
            batch = config.pop("batch_size", None)
            config["batch_input_shape"] = (batch, *tuple(config.pop("input_shape")))
        self._initial_weights = config.pop("weights", None)
        for k in ("layer",):
            if isinstance(config.get(k), Layer):
                self._inner = config[k]
        self._j = _deserialize(name, to_config(config))
        _wrappers[_key(self._j)] = self

    def _with_input_shape(self, shape):
        """Remakes the (not yet built) Java layer with ``batch_input_shape = (None, *shape)``."""
        if self.built:
            raise ValueError("Layer %s is already built: it cannot take the Input's shape." % self.name)
        config = self.get_config()
        config["batch_input_shape"] = [None, *shape]
        _wrappers.pop(_key(self._j), None)
        self._j = _deserialize(type(self)._class_name, to_config(config))
        _wrappers[_key(self._j)] = self

    # ---------------------------------------------------------------- functional API

    def __call__(self, inputs, **kwargs):
        if kwargs:
            raise not_supported(
                "calling keras.layers.%s with %s" % (type(self).__name__, ", ".join("%s=" % k for k in kwargs))
            )
        ins = unwrap_tensors(inputs, "Layer " + self.name)
        outs = _apply(self._j, ins)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None
        return wrap_tensors(outs)

    # ---------------------------------------------------------------- attributes

    @property
    def name(self):
        return str(self._j.name())

    @property
    def trainable(self):
        return bool(self._j.trainable())

    @trainable.setter
    def trainable(self, value):
        if bool(value) != self.trainable:
            raise not_supported("changing layer.trainable after the layer is made")

    @property
    def built(self):
        return bool(self._j.built())

    @property
    def weights(self):
        return [Weight(w) for w in self._j.weights()]

    @property
    def trainable_weights(self):
        return [Weight(w) for w in self._j.trainableWeights()]

    @property
    def non_trainable_weights(self):
        return [Weight(w) for w in self._j.nonTrainableWeights()]

    @property
    def input_shape(self):
        return _java.shape_tuple(self._j.inputShape())

    def get_weights(self):
        return _java.to_numpy_list(self._j.getWeights())

    @_java.java_errors
    def set_weights(self, weights):
        self._j.setWeights([_java.to_array(w) for w in weights])

    def get_config(self):
        return _java.to_python(self._j.getConfig())

    def count_params(self):
        return int(self._j.countParams())

    def __repr__(self):
        return "<keras.layers.%s name=%s>" % (type(self).__name__, self.name)


class Weight:
    """A layer's variable: ``name``, ``shape``; its value through ``K.get_value``."""

    def __init__(self, j):
        self._j = j

    @property
    def name(self):
        return str(self._j.name())

    def __repr__(self):
        return "<Variable '%s'>" % self.name


def _key(j):
    return int(jclass_system().identityHashCode(j)), j


def jclass_system():
    return _java.jclass("java.lang.System")


def wrap_layer(j):
    """The Python object of a Java layer: the one the script made, else a new wrapper."""
    w = _wrappers.get(_key(j))
    if w is not None:
        return w
    class_name = type(j).__name__
    if class_name in ("Sequential", "Model"):
        from jkeras.shim import models

        return models.wrap_model(j)
    cls = _layer_class(class_name) or Layer
    obj = cls.__new__(cls)
    obj._j = j
    obj._initial_weights = None
    _wrappers[_key(j)] = obj
    return obj


@_java.java_errors
def _deserialize(name, config):
    try:
        return _java.jclass("jkeras.layers.Layers").deserialize(name, config)
    except ValueError as e:
        # Java knows every keyword of Keras 2.3.1's layers: one it does not know is not a Keras keyword.
        m = re.match(r"(?:java\.lang\.IllegalArgumentException: )?Unknown argument `([^`]+)` for ", str(e))
        if m:
            raise TypeError("Keyword argument not understood:", m.group(1)) from None
        raise


@_java.java_errors
def _apply(j, ins):
    return j.applyOutputs(ins)


# ---------------------------------------------------------------- classes by name

_classes = {}


def java_class_names():
    """The layer classes jkeras implements in Java (Keras class names)."""
    return [str(n) for n in _java.jclass("jkeras.layers.Layers").classNames()]


def _layer_class(name):
    if name in _classes:
        return _classes[name]
    target = ALIASES.get(name, name)
    if target not in java_class_names():
        return None
    if target != name:
        cls = _layer_class(target)
    else:
        cls = type(
            name, (Layer,), {"_class_name": name, "_positional": POSITIONAL.get(name, ()), "__module__": __name__}
        )
    _classes[name] = cls
    globals()[name] = cls
    return cls


__getattr__ = module_getattr("keras.layers", _layer_class)


# ---------------------------------------------------------------- Input and merge functions


@_java.java_errors
def Input(shape=None, batch_shape=None, name=None, dtype=None, sparse=False, tensor=None, **kwargs):
    """``keras.layers.Input``: a symbolic input of ``shape`` (without the batch axis)."""
    if kwargs:
        raise TypeError("Input() got an unexpected keyword argument '%s'" % next(iter(kwargs)))
    if sparse or tensor is not None:
        raise not_supported("keras.layers.Input(%s)" % ("sparse=True" if sparse else "tensor=..."))
    if shape is None and batch_shape is None:
        raise ValueError(
            "Please provide to Input either a `shape` or a `batch_shape` argument. Note that `shape` does not "
            "include the batch dimension."
        )
    dims = tuple(batch_shape[1:]) if shape is None else (tuple(shape) if np.ndim(shape) else (shape,))
    jshape = [-1 if d is None else int(d) for d in dims]
    b = _java.jclass("jkeras.layers.Input").builder().shape(jshape)
    if name is not None:
        b = b.name(name)
    if dtype is not None:
        b = b.dtype(str(np.dtype(dtype)) if dtype not in ("float32", "int32", "int64", "float64", "bool") else dtype)
    return KerasTensor(b.build())


def _merge(class_name):
    def merge(inputs, **kwargs):
        return _layer_class(class_name)(**kwargs)(inputs)

    merge.__name__ = class_name.lower()
    merge.__doc__ = "``keras.layers.%s``: ``%s(**kwargs)(inputs)``." % (class_name.lower(), class_name)
    return merge


add = _merge("Add")
subtract = _merge("Subtract")
multiply = _merge("Multiply")
average = _merge("Average")
maximum = _merge("Maximum")
minimum = _merge("Minimum")
concatenate = _merge("Concatenate")


def dot(inputs, axes, normalize=False, **kwargs):
    return _layer_class("Dot")(axes=axes, normalize=normalize, **kwargs)(inputs)


def deserialize(config, custom_objects=None):
    if custom_objects:
        raise not_supported("keras.layers.deserialize(custom_objects=...)")
    return wrap_layer(_deserialize(config["class_name"], to_config(config.get("config", {}))))


def serialize(layer):
    return {"class_name": layer.__class__.__name__, "config": layer.get_config()}
