/// One tensor listed in a checkpoint, as `tf.train.list_variables` lists it.
public struct CheckpointEntry: Hashable, Sendable {
    /// The key: a TF1 variable name (`model/dense/kernel`) or an object path
    /// (`model/layer/kernel/.ATTRIBUTES/VARIABLE_VALUE`).
    public var name: String
    public var dtype: CheckpointDType
    /// The full tensor's shape, outermost dimension first; `[]` for a scalar.
    public var shape: [Int]
    /// For a partitioned tensor, the parts it was saved in; empty otherwise.
    public var slices: [CheckpointSlice]

    /// Where the bytes are (unused for a partitioned tensor).
    var location: Location

    struct Location: Hashable, Sendable {
        var shard: Int
        var offset: Int
        var size: Int
        /// The stored (masked) CRC32C.
        var maskedCRC: UInt32
    }

    /// The number of elements (product of the shape).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Whether the tensor was saved in slices (a partitioned variable).
    public var isPartitioned: Bool { !slices.isEmpty }
}

/// The part of a partitioned tensor that one saved slice holds.
public struct CheckpointSlice: Hashable, Sendable {
    /// Per dimension, the first index covered and how many (the whole dimension
    /// when TensorFlow stored no length).
    public var extents: [(start: Int, length: Int?)] {
        zip(starts, lengths).map { ($0, $1) }
    }
    var starts: [Int]
    var lengths: [Int?]

    init(starts: [Int], lengths: [Int?]) {
        self.starts = starts
        self.lengths = lengths
    }
}
