/// The element type of a checkpointed tensor: TensorFlow's `DataType`.
///
/// Known types print with TensorFlow's Python names (`float32`, `int64`,
/// `string`, `bfloat16`, ...); a value this library does not know prints as
/// `dtype(N)`. `_REF` values (N + 100) are mapped to their plain type.
public struct CheckpointDType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The `DataType` enum value.
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue > 100 && rawValue < 200 ? rawValue - 100 : rawValue
    }

    public static let invalid = CheckpointDType(rawValue: 0)
    public static let float32 = CheckpointDType(rawValue: 1)
    public static let float64 = CheckpointDType(rawValue: 2)
    public static let int32 = CheckpointDType(rawValue: 3)
    public static let uint8 = CheckpointDType(rawValue: 4)
    public static let int16 = CheckpointDType(rawValue: 5)
    public static let int8 = CheckpointDType(rawValue: 6)
    public static let string = CheckpointDType(rawValue: 7)
    public static let complex64 = CheckpointDType(rawValue: 8)
    public static let int64 = CheckpointDType(rawValue: 9)
    public static let bool = CheckpointDType(rawValue: 10)
    public static let bfloat16 = CheckpointDType(rawValue: 14)
    public static let uint16 = CheckpointDType(rawValue: 17)
    public static let complex128 = CheckpointDType(rawValue: 18)
    public static let float16 = CheckpointDType(rawValue: 19)
    public static let resource = CheckpointDType(rawValue: 20)
    public static let variant = CheckpointDType(rawValue: 21)
    public static let uint32 = CheckpointDType(rawValue: 22)
    public static let uint64 = CheckpointDType(rawValue: 23)

    /// Name and element size in bytes (nil: variable-length) per raw value.
    private static let table: [Int: (name: String, size: Int?)] = [
        0: ("invalid", nil), 1: ("float32", 4), 2: ("float64", 8), 3: ("int32", 4),
        4: ("uint8", 1), 5: ("int16", 2), 6: ("int8", 1), 7: ("string", nil),
        8: ("complex64", 8), 9: ("int64", 8), 10: ("bool", 1), 11: ("qint8", 1),
        12: ("quint8", 1), 13: ("qint32", 4), 14: ("bfloat16", 2), 15: ("qint16", 2),
        16: ("quint16", 2), 17: ("uint16", 2), 18: ("complex128", 16), 19: ("float16", 2),
        20: ("resource", nil), 21: ("variant", nil), 22: ("uint32", 4), 23: ("uint64", 8),
        24: ("float8_e5m2", 1), 25: ("float8_e4m3fn", 1), 26: ("float8_e4m3fnuz", 1),
        27: ("float8_e4m3b11fnuz", 1), 28: ("float8_e5m2fnuz", 1), 29: ("int4", 1),
        30: ("uint4", 1), 31: ("int2", 1), 32: ("uint2", 1), 33: ("float4_e2m1fn", 1),
    ]

    /// TensorFlow's name of the type (`tf.dtypes.DType.name`).
    public var name: String { Self.table[rawValue]?.name ?? "dtype(\(rawValue))" }

    /// Bytes per element in a data shard; nil for string, resource, variant and unknown types.
    public var elementSize: Int? { Self.table[rawValue]?.size ?? nil }

    /// Whether this library knows the type.
    public var isKnown: Bool { Self.table[rawValue] != nil && rawValue != 0 }

    /// The type named `name` (TensorFlow's Python name), if known.
    public init?(name: String) {
        guard let entry = Self.table.first(where: { $0.value.name == name && $0.key != 0 }) else {
            return nil
        }
        self.init(rawValue: entry.key)
    }

    public var description: String { name }
}
