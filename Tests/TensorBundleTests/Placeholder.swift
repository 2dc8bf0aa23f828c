// Tests of TensorBundle.
