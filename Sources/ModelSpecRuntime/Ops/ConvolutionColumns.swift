/// A convolution over any number of spatial axes (channels last) computed as
/// matrix products of its windows, one image at a time: the image's windows as
/// the rows of `[positions, taps·channels]` (zeros where padded), the filter as
/// `[taps·channels, outChannels]`. The same three products give the forward
/// pass (windows·filter), the filter's gradient (windowsᵀ·g) and the input's
/// gradient (g·filterᵀ added back into the image): `conv3d` and its gradients, and
/// a dilated and strided `conv2d`'s input gradient (and so `conv2dTranspose`'s forward
/// pass) run on them; `conv2d`'s other gradients run on the direct kernels.
struct ConvolutionColumns {
    let images: Int
    /// Scalars of one input image (the spatial sizes times `channels`).
    let imageSize: Int
    let channels: Int
    let outChannels: Int
    /// Output positions per image.
    let positions: Int
    /// Filter taps per window (the product of the window sizes).
    let tapsPerWindow: Int
    /// For each output position and each tap, the tap's offset in an input image, or -1 where padded.
    let taps: [Int]

    /// The windows of `axes` (outermost first) over images of `channels` channels.
    init(images: Int, channels: Int, outChannels: Int, axes: [WindowAxis]) {
        (self.images, self.channels, self.outChannels) = (images, channels, outChannels)
        imageSize = axes.reduce(channels) { $0 * $1.input }
        positions = axes.reduce(1) { $0 * $1.output }
        tapsPerWindow = axes.reduce(1) { $0 * $1.window }
        var taps = [Int](repeating: -1, count: positions * tapsPerWindow)
        // Output positions and window taps in row-major order, the first axis outermost.
        var coordinates = [Int](repeating: 0, count: axes.count)
        for p in 0..<positions {
            var rest = p
            for k in axes.indices.reversed() {
                coordinates[k] = rest % axes[k].output
                rest /= axes[k].output
            }
            for t in 0..<tapsPerWindow {
                var tap = t, offset = 0, stride = 1, inside = true
                for k in axes.indices.reversed() {
                    let a = axes[k]
                    let i = coordinates[k] * a.stride + (tap % a.window) * a.dilation - a.before
                    tap /= a.window
                    inside = inside && i >= 0 && i < a.input
                    offset += i * stride
                    stride *= a.input
                }
                if inside { taps[p * tapsPerWindow + t] = offset * channels }
            }
        }
        self.taps = taps
    }

    /// One row of the windows matrix.
    private var window: Int { tapsPerWindow * channels }

    /// The windows of one image into `columns` (`[positions, window]`).
    private func gather(_ image: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        for (t, offset) in taps.enumerated() {
            let dst = columns + t * channels
            if offset >= 0 { dst.update(from: image + offset, count: channels) } else { dst.update(repeating: 0, count: channels) }
        }
    }

    /// The convolution: `[images, positions, outChannels]` scalars, shaped `shape`.
    func forward(_ input: Tensor, filter: Tensor, shape: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        guard out.scalarCount > 0 else { return out }
        let columns = TensorBuffer<Float>(uninitializedCount: positions * window)
        for b in 0..<images {
            gather(input.storage.base + b * imageSize, into: columns.base)
            sgemm(m: positions, n: outChannels, k: window, a: columns.base, lda: window,
                  b: filter.storage.base, ldb: outChannels, c: out.storage.base + b * positions * outChannels, ldc: outChannels)
        }
        withExtendedLifetime((input, filter, columns)) {}
        return out
    }

    /// The gradient with respect to the filter (of `shape`) from `g`, `[images, positions, outChannels]`:
    /// Σ over images of windowsᵀ·g.
    func filterGradient(_ g: Tensor, input: Tensor, shape: [Int]) -> Tensor {
        accumulated(shape, keeping: (input, g)) { b, out, columns in
            gather(input.storage.base + b * imageSize, into: columns)
            sgemm(transA: true, m: window, n: outChannels, k: positions, a: columns, lda: window,
                  b: g.storage.base + b * positions * outChannels, ldb: outChannels, c: out.storage.base, ldc: outChannels,
                  accumulate: true)
        }
    }

    /// The gradient with respect to the input (of `shape`) from `g`: each window's g·filterᵀ added
    /// back at its taps.
    func inputGradient(_ g: Tensor, filter: Tensor, shape: [Int]) -> Tensor {
        accumulated(shape, keeping: (filter, g)) { b, out, columns in
            sgemm(transB: true, m: positions, n: window, k: outChannels, a: g.storage.base + b * positions * outChannels,
                  lda: outChannels, b: filter.storage.base, ldb: outChannels, c: columns, ldc: window)
            let image = out.storage.base + b * imageSize
            for (t, offset) in taps.enumerated() where offset >= 0 {
                let src = columns + t * channels, dst = image + offset
                for q in 0..<channels { dst[q] += src[q] }
            }
        }
    }

    /// A tensor of `shape` starting at zeros, and `body(image, it, windows buffer)` for each image
    /// (none when the convolution has no products); `keeping` alive meanwhile.
    private func accumulated(_ shape: [Int], keeping tensors: (Tensor, Tensor),
                             _ body: (Int, Tensor, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        out.storage.base.update(repeating: 0, count: out.scalarCount)
        guard positions > 0, window > 0, outChannels > 0 else { return out }
        let columns = TensorBuffer<Float>(uninitializedCount: positions * window)
        for b in 0..<images { body(b, out, columns.base) }
        withExtendedLifetime((tensors, columns)) {}
        return out
    }
}
