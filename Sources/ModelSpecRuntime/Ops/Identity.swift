/// `tf.identity`: the same values as a new tensor, so without the input's Keras mask, as
/// TensorFlow's identity makes a tensor without `_keras_mask` (a same-dtype `tf.cast` returns
/// its input itself, mask and all: ``cast(_:to:)`` keeps it).
public func identity(_ x: Tensor) -> Tensor {
    x.masked(nil)
}

/// `tf.identity` of an integer or bool tensor (which carries no mask): the tensor.
public func identity<T: ElementTensor>(_ x: T) -> T {
    x
}
