import CConvolution

extension ConvGeometry {
    /// The convolution, its bias added and ReLU applied as the forward pass fuses them, recorded
    /// on `tape` as one operation: the backward rule masks the gradient by the ReLU and sums the
    /// bias's gradient in one pass (``biasActivationBackward(_:output:relu:bias:)``), then runs the
    /// convolution's rule.
    func differentiable(input: Tensor, filter: Tensor, bias: Tensor? = nil, relu: Bool = false,
                        tape: GradientTape) -> Tensor {
        let out = run(input: input, filter: filter, scale: nil, shift: bias, activation: relu ? .relu : .linear)
        tape.record("conv2d", out, [input, filter, bias]) { g, needed in
            let (gz, gb) = biasActivationBackward(g, output: out, relu: relu, bias: needed[2])
            return self.backward(gz, input: input, filter: filter, needed: needed) + [gb]
        }
        return out
    }

    /// The filter gradient, Σ over images and positions of each window ⊗ g, on the forward
    /// kernel's register tiles (`cconv_filter_gradient`): no window matrix, no OpenBLAS.
    func directFilterGradient(_ g: Tensor, input: Tensor, shape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        guard out.scalarCount > 0 else { return out }
        var k = kernel
        let scratch = TensorBuffer<Float>(uninitializedCount: cconv_filter_gradient_scratch_count(&k))
        cconv_filter_gradient(&k, input.storage.base, g.storage.base, scratch.base, out.storage.base)
        withExtendedLifetime((input, g, scratch)) {}
        return out
    }
}

/// The backward pass of a bias and ReLU fused into an operation's forward pass, in one pass over
/// the channels-last gradient `g`: the gradient before the ReLU (`g·(output > 0 ? 1 : 0)`, as
/// TensorFlow's ReluGrad; `g` itself without ReLU), and the bias's gradient (the sum over every
/// axis but the last, in double precision) when `bias` is wanted.
func biasActivationBackward(_ g: Tensor, output: Tensor, relu: Bool, bias: Bool) -> (Tensor, Tensor?) {
    guard relu || bias else { return (g, nil) }
    let c = output.shape.last ?? 0, rows = c == 0 ? 0 : output.scalarCount / c
    let masked = relu ? Tensor(uninitializedShape: output.shape) : g
    let biasGradient = bias ? Tensor(uninitializedShape: [c]) : nil
    cbias_relu_backward(rows, c, g.storage.base, output.storage.base, relu ? 1 : 0, masked.storage.base,
                        biasGradient?.storage.base)
    withExtendedLifetime((g, output)) {}
    return (masked, biasGradient)
}
