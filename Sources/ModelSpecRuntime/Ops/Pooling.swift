/// 2-D max and average pooling over NHWC tensors, as `tf.nn.max_pool2d` and
/// `tf.nn.avg_pool2d`.

import CConvolution

/// The maximum of each window (`tf.nn.max_pool2d`, NHWC). With `.same`
/// padding the padded positions are ignored (as if −∞).
/// - Parameters:
///   - input: `[batch, height, width, channels]`.
///   - windowSize: (height, width) of the window.
///   - strides: (vertical, horizontal) steps; TensorFlow's layers default them to the window size.
public func maxPool2d(_ input: Tensor, windowSize: (Int, Int), strides: (Int, Int),
                      padding: Padding = .valid) throws -> Tensor {
    try pool2d(input, windowSize: windowSize, strides: strides, padding: padding, op: "maxPool2d", average: false)
}

/// The mean of each window (`tf.nn.avg_pool2d`, NHWC). With `.same` padding
/// each mean is over the window's positions inside the input only, as
/// TensorFlow divides by the count of valid elements.
public func avgPool2d(_ input: Tensor, windowSize: (Int, Int), strides: (Int, Int),
                      padding: Padding = .valid) throws -> Tensor {
    try pool2d(input, windowSize: windowSize, strides: strides, padding: padding, op: "avgPool2d", average: true)
}

func pool2d(_ input: Tensor, windowSize: (Int, Int), strides: (Int, Int), padding: Padding,
            op: String, average: Bool) throws -> Tensor {
    let out = try poolKernel(input, windowSize: windowSize, strides: strides, padding: padding, op: op, average: average)
    if let tape = GradientTape.active {
        tape.record("pool2d", out, [input]) { g, _ in
            [try poolBackward(g, input: input, output: out, windowSize: windowSize, strides: strides,
                              padding: padding, average: average)]
        }
    }
    return out
}

/// The gradient of a pooling: each output's gradient to the first position of its window that
/// holds the maximum (max), or shared equally by the window's positions inside the input (average).
private func poolBackward(_ g: Tensor, input: Tensor, output: Tensor, windowSize: (Int, Int), strides: (Int, Int),
                          padding: Padding, average: Bool) throws -> Tensor {
    let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (gh, gw) = try windowGeometry(op: "pool2d", shapes: [input.shape], height: h, width: w, window: windowSize,
                                      strides: strides, dilations: (1, 1), padding: padding)
    let (oh, ow) = (gh.outputSize, gw.outputSize)
    if !average, let geometry = cpoolGeometry(input.shape, gh, gw, windowSize: windowSize, strides: strides) {
        // The C kernel: channels 8 at a time, a mask of those still waiting for their position.
        let result = Tensor(uninitializedShape: input.shape)
        guard result.scalarCount > 0 else { return result }
        var k = geometry
        cpool_max2d_backward(&k, input.storage.base, output.storage.base, g.storage.base, result.storage.base)
        withExtendedLifetime((input, output, g)) {}
        return result
    }
    let result = try Tensor(shape: input.shape, repeating: 0)
    let src = input.storage.base, dst = result.storage.base, pg = g.storage.base, py = output.storage.base
    let taken = UnsafeMutablePointer<Bool>.allocate(capacity: Swift.max(c, 1))
    defer { taken.deallocate() }
    for b in 0..<n {
        for y in 0..<oh {
            let y0 = y * strides.0 - gh.padBefore
            let yLo = Swift.max(y0, 0), yHi = Swift.min(y0 + windowSize.0, h)
            for x in 0..<ow {
                let x0 = x * strides.1 - gw.padBefore
                let xLo = Swift.max(x0, 0), xHi = Swift.min(x0 + windowSize.1, w)
                let o = ((b * oh + y) * ow + x) * c
                if average {
                    let share = 1 / Float((yHi - yLo) * (xHi - xLo))
                    for iy in yLo..<yHi {
                        for ix in xLo..<xHi {
                            let d = dst + ((b * h + iy) * w + ix) * c
                            for k in 0..<c { d[k] += pg[o + k] * share }
                        }
                    }
                } else {
                    // The window's positions in order, channels innermost (contiguous), each
                    // channel's gradient going to the first position that holds its maximum.
                    taken.update(repeating: false, count: c)
                    for iy in yLo..<yHi {
                        for ix in xLo..<xHi {
                            let i = ((b * h + iy) * w + ix) * c
                            for k in 0..<c where !taken[k] {
                                if src[i + k] == py[o + k] || (src[i + k].isNaN && py[o + k].isNaN) {
                                    dst[i + k] += pg[o + k]
                                    taken[k] = true
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return result
}

private func poolKernel(_ input: Tensor, windowSize: (Int, Int), strides: (Int, Int), padding: Padding,
                        op: String, average: Bool) throws -> Tensor {
    guard input.rank == 4 else {
        throw TensorError(op: op, shapes: [input.shape], reason: "is not NHWC (rank 4)")
    }
    let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (gh, gw) = try windowGeometry(op: op, shapes: [input.shape], height: h, width: w,
                                      window: windowSize, strides: strides, dilations: (1, 1),
                                      padding: padding)
    let (oh, ow) = (gh.outputSize, gw.outputSize)
    let out = Tensor(uninitializedShape: [n, oh, ow, c])
    if !average, out.scalarCount > 0, let geometry = cpoolGeometry(input.shape, gh, gw, windowSize: windowSize, strides: strides) {
        // The C kernel: channels 8 at a time in vector registers, each output stored once; images
        // split across the kernel threads, four parts a thread, when each part reads at least
        // 64,000 values.
        let source = input.storage.base, target = out.storage.base
        let parts = KernelThreads.parts(work: input.scalarCount, minimum: 64_000, limit: n, perThread: 4)
        KernelThreads.run(parts: parts) { part in
            let images = KernelThreads.share(part, of: parts, count: n)
            var slice = geometry
            slice.n = Int32(images.count)
            cpool_max2d(&slice, source + images.lowerBound * h * w * c, target + images.lowerBound * oh * ow * c)
        }
        withExtendedLifetime(input) {}
        return out
    }
    let src = input.storage.base
    var dst = out.storage.base
    for b in 0..<n {
        let image = src + b * h * w * c
        for y in 0..<oh {
            let y0 = y * strides.0 - gh.padBefore
            let yLo = Swift.max(y0, 0), yHi = Swift.min(y0 + windowSize.0, h)
            for x in 0..<ow {
                let x0 = x * strides.1 - gw.padBefore
                let xLo = Swift.max(x0, 0), xHi = Swift.min(x0 + windowSize.1, w)
                if average {
                    dst.update(repeating: 0, count: c)
                    for iy in yLo..<yHi {
                        for ix in xLo..<xHi {
                            let s = image + (iy * w + ix) * c
                            for k in 0..<c { dst[k] += s[k] }
                        }
                    }
                    let count = Float((yHi - yLo) * (xHi - xLo))
                    for k in 0..<c { dst[k] /= count }
                } else {
                    dst.update(repeating: -.infinity, count: c)
                    for iy in yLo..<yHi {
                        for ix in xLo..<xHi {
                            let s = image + (iy * w + ix) * c
                            for k in 0..<c {
                                // Branch-free so it vectorises; NaN wins as in TensorFlow.
                                let v = s[k], d = dst[k]
                                dst[k] = v > d || v != v ? v : d
                            }
                        }
                    }
                }
                dst += c
            }
        }
    }
    return out
}

/// The C kernels' sizes of a pooling over an NHWC `input`, nil when one does not fit 32 bits.
func cpoolGeometry(_ input: [Int], _ gh: WindowGeometry, _ gw: WindowGeometry, windowSize: (Int, Int),
                           strides: (Int, Int)) -> cpool_geometry? {
    let sizes = [input[0], input[1], input[2], input[3], gh.outputSize, gw.outputSize, windowSize.0, windowSize.1,
                 strides.0, strides.1, gh.padBefore, gw.padBefore]
    guard let narrow = sizes.map({ Int32(exactly: $0) }) as? [Int32] else { return nil }
    return cpool_geometry(n: narrow[0], h: narrow[1], w: narrow[2], c: narrow[3], oh: narrow[4],
                          ow: narrow[5], window_h: narrow[6], window_w: narrow[7], stride_h: narrow[8],
                          stride_w: narrow[9], pad_top: narrow[10], pad_left: narrow[11])
}
