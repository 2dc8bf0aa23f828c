import COpenBLAS

/// 2-D convolution, NHWC input and HWIO filter, as `tf.nn.conv2d`
/// (cross-correlation, like every deep-learning framework), with an optional
/// bias and activation fused into the same pass.
///
/// - Parameters:
///   - input: `[batch, height, width, inChannels]`.
///   - filter: `[filterHeight, filterWidth, inChannels, outChannels]`.
///   - strides: (vertical, horizontal) steps.
///   - padding: `.valid` or `.same`, with TensorFlow's SAME arithmetic (the odd
///     padding goes after).
///   - dilations: (vertical, horizontal) spacing between filter taps.
///   - bias: `[outChannels]`, added to every output position.
///   - activation: applied after the bias.
/// - Returns: `[batch, outHeight, outWidth, outChannels]`.
///
/// Computed as im2col + `cblas_sgemm`, a tile of output positions at a time
/// (across images) so that the column buffer stays in L2; a 1×1 convolution
/// with stride 1 is a single GEMM on the input as it is.
public func conv2d(_ input: Tensor, filter: Tensor,
                   strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                   dilations: (Int, Int) = (1, 1),
                   bias: Tensor? = nil, activation: Activation = .linear) throws -> Tensor {
    let shapes = [input.shape, filter.shape]
    guard input.rank == 4, filter.rank == 4 else {
        throw TensorError(op: "conv2d", shapes: shapes,
                          reason: "do not fit: input must be NHWC (rank 4) and filter HWIO (rank 4)")
    }
    let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (kh, kw, fc, o) = (filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3])
    guard fc == c else {
        throw TensorError(op: "conv2d", shapes: shapes,
                          reason: "do not fit: input channels \(c) and filter input channels \(fc) differ")
    }
    if let bias, bias.shape != [o] {
        throw TensorError(op: "conv2d", shapes: [filter.shape, bias.shape],
                          reason: "do not fit: the bias must have shape [\(o)]")
    }
    let (gh, gw) = try windowGeometry(op: "conv2d", shapes: shapes, height: h, width: w,
                                      window: (kh, kw), strides: strides, dilations: dilations,
                                      padding: padding)
    let geometry = ConvGeometry(n: n, h: h, w: w, c: c, kh: kh, kw: kw, o: o,
                                oh: gh.outputSize, ow: gw.outputSize,
                                padTop: gh.padBefore, padLeft: gw.padBefore,
                                strideH: strides.0, strideW: strides.1,
                                dilationH: dilations.0, dilationW: dilations.1)
    let out = Tensor(uninitializedShape: [n, geometry.oh, geometry.ow, o])
    geometry.run(input: input.storage.base, filter: filter.storage.base,
                 bias: bias?.storage.base, activation: activation, output: out.storage.base)
    return out
}

/// The checked sizes of one convolution, and its im2col + GEMM evaluation.
struct ConvGeometry {
    var n, h, w, c, kh, kw, o, oh, ow, padTop, padLeft, strideH, strideW, dilationH, dilationW: Int

    /// Floats of im2col buffer per tile of output positions. Tiles of rows (of
    /// any images) small enough that the columns stay in the core's L2 cache
    /// while the GEMM packs them: whole-image chunks of several megabytes made
    /// OpenBLAS's packing of the columns a memory-bound third of the time.
    /// (128 KiB: measured best of 64 KiB to 8 MiB on the benchmarks' CNNs.)
    static let columnBudget = 1 << 15

    var isPointwise: Bool {
        kh == 1 && kw == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0
    }

    func run(input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
             bias: UnsafePointer<Float>?, activation: Activation,
             output: UnsafeMutablePointer<Float>) {
        let rowsPerImage = oh * ow
        let k = kh * kw * c
        if n == 0 || rowsPerImage == 0 || o == 0 { return }
        let totalRows = n * rowsPerImage
        if let bias { fillRows(output, rows: totalRows, with: bias, count: o) }

        if isPointwise {
            // [n·h·w, c] × [c, o]: no column buffer needed.
            sgemm(m: totalRows, n: o, k: c, a: input, lda: c, b: filter, ldb: o,
                  c: output, ldc: o, accumulate: bias != nil)
            activation.apply(to: output, count: totalRows * o, channels: o)
            return
        }
        let tileRows = Swift.max(16, Swift.min(totalRows, ConvGeometry.columnBudget / Swift.max(1, k)))
        let columnBuffer = TensorBuffer<Float>(uninitializedCount: tileRows * k)
        let columns = columnBuffer.base
        defer { withExtendedLifetime(columnBuffer) {} }
        var first = 0
        while first < totalRows {
            let rows = Swift.min(tileRows, totalRows - first)
            // Rows first ..< first+rows of the [n·oh·ow, k] column matrix, across images.
            var row = first, p = columns
            while row < first + rows {
                let image = row / rowsPerImage, position = row % rowsPerImage
                let count = Swift.min(rowsPerImage - position, first + rows - row)
                im2col(image: input + image * h * w * c, positions: position..<(position + count), into: p)
                p += count * k
                row += count
            }
            let dst = output + first * o
            sgemm(m: rows, n: o, k: k, a: columns, lda: k, b: filter, ldb: o,
                  c: dst, ldc: o, accumulate: bias != nil)
            activation.apply(to: dst, count: rows * o, channels: o)
            first += rows
        }
    }

    /// Writes the patches of one image's output positions (`y·ow + x`) as rows
    /// of `kh·kw·c`, zeros where the window reaches into the padding. Column
    /// order (kh, kw, c) matches the HWIO filter seen as a `[kh·kw·c, o]` matrix.
    func im2col(image: UnsafePointer<Float>, positions: Range<Int>, into columns: UnsafeMutablePointer<Float>) {
        var p = columns
        let rowLength = w * c
        for position in positions {
            let y = position / ow, x = position % ow
            do {
                let y0 = y * strideH - padTop
                let x0 = x * strideW - padLeft
                for i in 0..<kh {
                    let iy = y0 + i * dilationH
                    guard iy >= 0, iy < h else {
                        p.update(repeating: 0, count: kw * c)
                        p += kw * c
                        continue
                    }
                    let row = image + iy * rowLength
                    if dilationW == 1 {
                        // Taps x0 ..< x0+kw: zeros, one contiguous run, zeros.
                        let lo = Swift.min(kw, Swift.max(0, -x0)), hi = Swift.min(kw, w - x0)
                        if lo > 0 { p.update(repeating: 0, count: lo * c) }
                        if hi > lo { (p + lo * c).update(from: row + (x0 + lo) * c, count: (hi - lo) * c) }
                        let tail = kw - Swift.max(hi, lo)
                        if tail > 0 { (p + Swift.max(hi, lo) * c).update(repeating: 0, count: tail * c) }
                        p += kw * c
                    } else {
                        for j in 0..<kw {
                            let ix = x0 + j * dilationW
                            if ix >= 0 && ix < w {
                                p.update(from: row + ix * c, count: c)
                            } else {
                                p.update(repeating: 0, count: c)
                            }
                            p += c
                        }
                    }
                }
            }
        }
    }
}
