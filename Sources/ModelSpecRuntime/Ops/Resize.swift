extension Tensor {
    /// How ``resizeImages(_:size:method:alignCorners:halfPixelCenters:)`` computes each pixel.
    public enum ResizeMethod: String, Sendable {
        /// From the 4 nearest input pixels, weighted by distance (`ResizeMethod.BILINEAR`).
        case bilinear
        /// The nearest input pixel (`ResizeMethod.NEAREST_NEIGHBOR`).
        case nearest
    }
}

/// `tf.compat.v1.image.resize(images, size, method, align_corners)` on NHWC images, with
/// TensorFlow's pixel arithmetic in `Float`: the legacy mapping (`y · scale`, TF1's
/// `resize_bilinear` and `resize_nearest_neighbor`) by default, corners aligned with
/// `alignCorners`, or pixel centers (`(y + 0.5) · scale − 0.5`, TF2's `tf.image.resize`)
/// with `halfPixelCenters`.
public func resizeImages(_ images: Tensor, size: [Int], method: Tensor.ResizeMethod = .bilinear,
                         alignCorners: Bool = false, halfPixelCenters: Bool = false) throws -> Tensor {
    let op = "resize"
    guard images.rank == 4, size.count == 2, size[0] > 0, size[1] > 0 else {
        throw TensorError(op: op, shapes: [images.shape], reason: "cannot be resized to \(size): it needs NHWC images and a positive [height, width]")
    }
    guard !(alignCorners && halfPixelCenters) else {
        throw TensorError(op: op, shapes: [images.shape], reason: "cannot align corners and use half-pixel centers at once")
    }
    let (n, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
    let (oh, ow) = (size[0], size[1])
    func scale(_ input: Int, _ output: Int) -> Float {
        alignCorners && output > 1 ? Float(input - 1) / Float(output - 1) : Float(input) / Float(output)
    }
    let (sy, sx) = (scale(h, oh), scale(w, ow))
    let out = Tensor(uninitializedShape: [n, oh, ow, c])
    let src = images.storage.base
    var dst = out.storage.base
    switch method {
    case .nearest:
        func nearest(_ index: Int, _ scale: Float, _ limit: Int) -> Int {
            let position = halfPixelCenters ? (Float(index) + 0.5) * scale : Float(index) * scale
            let found = Swift.min(alignCorners ? Int(position.rounded(.toNearestOrAwayFromZero)) : Int(position.rounded(.down)), limit - 1)
            return halfPixelCenters ? Swift.max(0, found) : found
        }
        let xs = (0..<ow).map { nearest($0, sx, w) }, ys = (0..<oh).map { nearest($0, sy, h) }
        for b in 0..<n {
            for y in ys {
                let row = src + (b * h + y) * w * c
                for x in xs {
                    dst.update(from: row + x * c, count: c)
                    dst += c
                }
            }
        }
        if let tape = GradientTape.active {
            // TensorFlow's ResizeNearestNeighborGrad: each output pixel's gradient added to the pixel it copied.
            tape.record("resize", out, [images]) { g, _ in
                let result = try Tensor(shape: images.shape, repeating: 0)
                var pg = g.storage.base
                for b in 0..<n {
                    for y in ys {
                        let row = result.storage.base + (b * h + y) * w * c
                        for x in xs {
                            for k in 0..<c { row[x * c + k] += pg[k] }
                            pg += c
                        }
                    }
                }
                return [result]
            }
        }
    case .bilinear:
        /// The two input pixels around an output one and the weight of the second.
        func weights(_ index: Int, _ scale: Float, _ limit: Int) -> (lower: Int, upper: Int, lerp: Float) {
            let position = halfPixelCenters ? (Float(index) + 0.5) * scale - 0.5 : Float(index) * scale
            let floor = position.rounded(.down)
            return (Swift.max(Int(floor), 0), Swift.min(Int(position.rounded(.up)), limit - 1), position - floor)
        }
        let xs = (0..<ow).map { weights($0, sx, w) }, ys = (0..<oh).map { weights($0, sy, h) }
        for b in 0..<n {
            for (top, bottom, yLerp) in ys {
                let topRow = src + (b * h + top) * w * c, bottomRow = src + (b * h + bottom) * w * c
                for (left, right, xLerp) in xs {
                    for k in 0..<c {
                        let topLeft = topRow[left * c + k], topRight = topRow[right * c + k]
                        let bottomLeft = bottomRow[left * c + k], bottomRight = bottomRow[right * c + k]
                        let upper = topLeft + (topRight - topLeft) * xLerp
                        let lower = bottomLeft + (bottomRight - bottomLeft) * xLerp
                        dst[k] = upper + (lower - upper) * yLerp
                    }
                    dst += c
                }
            }
        }
        if let tape = GradientTape.active {
            // TensorFlow's ResizeBilinearGrad: each output pixel's gradient shared by its four input
            // pixels with the interpolation's weights.
            tape.record("resize", out, [images]) { g, _ in
                let result = try Tensor(shape: images.shape, repeating: 0)
                var pg = g.storage.base
                for b in 0..<n {
                    for (top, bottom, yLerp) in ys {
                        let topRow = result.storage.base + (b * h + top) * w * c
                        let bottomRow = result.storage.base + (b * h + bottom) * w * c
                        for (left, right, xLerp) in xs {
                            for k in 0..<c {
                                let up = pg[k] * (1 - yLerp), down = pg[k] * yLerp
                                topRow[left * c + k] += up * (1 - xLerp)
                                topRow[right * c + k] += up * xLerp
                                bottomRow[left * c + k] += down * (1 - xLerp)
                                bottomRow[right * c + k] += down * xLerp
                            }
                            pg += c
                        }
                    }
                }
                return [result]
            }
        }
    }
    withExtendedLifetime(images) {}
    return out
}
