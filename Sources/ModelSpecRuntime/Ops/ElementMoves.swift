/// The data-movement operations of integer and bool tensors, each the `Tensor`
/// kernel of the same name applied to the elements' positions (``ElementTensor``):
/// the same shapes, the same errors, the elements kept exactly.
///
///     let ids = try reshape(tokens, [2, -1])                 // IndexTensor
///     let rows = try concat([mask, mask], axis: 0)           // BoolTensor

/// `tf.constant` of integers or booleans: one element fills `shape`, as many as `shape` has are reshaped to it.
public func constant<T: ElementTensor>(_ value: T, shape: [Int]? = nil) throws -> T {
    guard let shape, value.scalarCount == 1 else {
        return try shape.map { shape in try value.moved("constant") { try constant($0, shape: shape) } } ?? value
    }
    return try T(shape: shape) { dst in
        value.withUnsafeBufferPointer { src in
            for i in dst.indices { dst[i] = src[0] }
        }
    }
}

public func reshape<T: ElementTensor>(_ x: T, _ shape: [Int]) throws -> T {
    try x.moved("reshape") { try reshape($0, shape) }
}

public func expandDims<T: ElementTensor>(_ x: T, axis: Int) throws -> T {
    try x.moved("expand_dims") { try expandDims($0, axis: axis) }
}

public func squeeze<T: ElementTensor>(_ x: T, axes: [Int]? = nil) throws -> T {
    try x.moved("squeeze") { try squeeze($0, axes: axes) }
}

public func transpose<T: ElementTensor>(_ x: T, perm: [Int]? = nil) throws -> T {
    try x.moved("transpose") { try transpose($0, perm: perm) }
}

public func concat<T: ElementTensor>(_ tensors: [T], axis: Int) throws -> T {
    try T.moved(tensors, "concat") { try concat($0, axis: axis) }
}

public func stack<T: ElementTensor>(_ tensors: [T], axis: Int = 0) throws -> T {
    try T.moved(tensors, "stack") { try stack($0, axis: axis) }
}

public func tile<T: ElementTensor>(_ x: T, multiples: [Int]) throws -> T {
    try x.moved("tile") { try tile($0, multiples: multiples) }
}

/// `tf.pad` of integers or booleans: `constantValue` fills the padding in `.constant` mode.
public func pad<T: ElementTensor>(_ x: T, paddings: [[Int]], mode: Tensor.PadMode = .constant, constantValue: T.Element) throws -> T {
    try x.moved("pad", filling: constantValue) { try pad($0, paddings: paddings, mode: mode, constantValue: -1) }
}

/// `tf.pad` of integers, padded with zeros in `.constant` mode.
public func pad<S>(_ x: IntegerTensor<S>, paddings: [[Int]], mode: Tensor.PadMode = .constant) throws -> IntegerTensor<S> {
    try pad(x, paddings: paddings, mode: mode, constantValue: 0)
}

/// `tf.pad` of booleans, padded with `false` in `.constant` mode.
public func pad(_ x: BoolTensor, paddings: [[Int]], mode: Tensor.PadMode = .constant) throws -> BoolTensor {
    try pad(x, paddings: paddings, mode: mode, constantValue: false)
}

public func slice<T: ElementTensor>(_ x: T, begin: [Int], size: [Int]) throws -> T {
    try x.moved("slice") { try slice($0, begin: begin, size: size) }
}

public func split<T: ElementTensor>(_ x: T, count: Int, axis: Int = 0) throws -> [T] {
    try x.movedParts("split") { try split($0, count: count, axis: axis) }
}

public func split<T: ElementTensor>(_ x: T, sizes: [Int], axis: Int = 0) throws -> [T] {
    try x.movedParts("split") { try split($0, sizes: sizes, axis: axis) }
}

public func unstack<T: ElementTensor>(_ x: T, axis: Int = 0) throws -> [T] {
    try x.movedParts("unstack") { try unstack($0, axis: axis) }
}

public func stridedSlice<T: ElementTensor>(_ x: T, begin: [Int], end: [Int], strides: [Int]? = nil, beginMask: Int = 0, endMask: Int = 0,
                                           ellipsisMask: Int = 0, newAxisMask: Int = 0, shrinkAxisMask: Int = 0) throws -> T {
    try x.moved("strided_slice") {
        try stridedSlice($0, begin: begin, end: end, strides: strides, beginMask: beginMask, endMask: endMask,
                         ellipsisMask: ellipsisMask, newAxisMask: newAxisMask, shrinkAxisMask: shrinkAxisMask)
    }
}

/// `tf.gather` of integer or bool params.
public func gather<T: ElementTensor, S>(_ table: T, indices: IntegerTensor<S>) throws -> T {
    try table.moved("gather") { try gather($0, indices: indices) }
}

/// `tf.nn.embedding_lookup` in a table of integers.
public func embeddingLookup<T: ElementTensor, S>(_ table: T, ids: IntegerTensor<S>) throws -> T {
    try gather(table, indices: ids)
}

/// `resizeImages` of integer images: nearest-neighbour only, which picks pixels (TensorFlow's
/// bilinear resize of integers computes in float32; cast first).
public func resizeImages<T: ElementTensor>(_ images: T, size: [Int], method: Tensor.ResizeMethod = .nearest,
                                           alignCorners: Bool = false, halfPixelCenters: Bool = false) throws -> T {
    guard method == .nearest else {
        throw TensorError(op: "resize", shapes: [images.shape], reason: "of integers is nearest-neighbour only here; bilinear resizing computes in float32")
    }
    return try images.moved("resize") {
        try resizeImages($0, size: size, method: .nearest, alignCorners: alignCorners, halfPixelCenters: halfPixelCenters)
    }
}
