/// How a sliding window (convolution, pooling) treats the borders, as TensorFlow's
/// `padding="VALID"` / `"SAME"`.
public enum Padding: String, Sendable, Equatable {
    /// No padding: windows lie wholly inside the input; output ⌈(in − k_eff + 1) / stride⌉.
    case valid = "VALID"
    /// Output ⌈in / stride⌉; the padding needed, max((out − 1)·stride + k_eff − in, 0),
    /// goes half before and the odd one after (TensorFlow's convention).
    case same = "SAME"

    /// Parses TensorFlow's and Keras' spellings: `"SAME"`, `"same"`, `"VALID"`, `"valid"`.
    public init?(parsing name: String) {
        self.init(rawValue: name.uppercased())
    }
}

/// One spatial dimension of a sliding window: output size and padding before.
struct WindowGeometry: Equatable {
    var outputSize: Int
    var padBefore: Int

    /// Computes the output size and leading padding as TensorFlow does
    /// (`GetWindowedOutputSizeVerbose`). Returns nil when VALID leaves no output.
    init?(inputSize: Int, window: Int, stride: Int, dilation: Int = 1, padding: Padding) {
        let effective = (window - 1) * dilation + 1
        switch padding {
        case .valid:
            guard inputSize >= effective else { return nil }
            outputSize = (inputSize - effective + stride) / stride
            padBefore = 0
        case .same:
            outputSize = (inputSize + stride - 1) / stride
            let total = Swift.max((outputSize - 1) * stride + effective - inputSize, 0)
            padBefore = total / 2
        }
    }
}

/// Checks the attributes shared by convolution and pooling; returns the geometry
/// of both spatial dimensions.
func windowGeometry(op: String, shapes: [[Int]], height: Int, width: Int,
                    window: (Int, Int), strides: (Int, Int), dilations: (Int, Int),
                    padding: Padding) throws -> (WindowGeometry, WindowGeometry) {
    guard strides.0 >= 1, strides.1 >= 1 else {
        throw TensorError(op: op, shapes: shapes, reason: "cannot use strides (\(strides.0), \(strides.1)): they must be at least 1")
    }
    guard dilations.0 >= 1, dilations.1 >= 1 else {
        throw TensorError(op: op, shapes: shapes, reason: "cannot use dilations (\(dilations.0), \(dilations.1)): they must be at least 1")
    }
    guard window.0 >= 1, window.1 >= 1 else {
        throw TensorError(op: op, shapes: shapes, reason: "cannot use a window of (\(window.0), \(window.1)): it must be at least 1")
    }
    guard let h = WindowGeometry(inputSize: height, window: window.0, stride: strides.0,
                                 dilation: dilations.0, padding: padding),
          let w = WindowGeometry(inputSize: width, window: window.1, stride: strides.1,
                                 dilation: dilations.1, padding: padding) else {
        let eh = (window.0 - 1) * dilations.0 + 1, ew = (window.1 - 1) * dilations.1 + 1
        throw TensorError(op: op, shapes: shapes,
                          reason: "do not fit: a \(eh)x\(ew) window (after dilation) is larger than the \(height)x\(width) input with VALID padding")
    }
    return (h, w)
}
