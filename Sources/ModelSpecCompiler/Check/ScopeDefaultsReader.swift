import LocatedYAML
import TFNaming

extension NodeReader {
    /// The keys of a `scope` step that give the scope's defaults.
    static let scopeDefaultKeys = ["initializer", "regularizer", "dtype", "partitioner"]

    /// A scope step's `initializer:`, `regularizer:`, `dtype:` and `partitioner:`;
    /// nil after an error.
    mutating func scopeDefaults(_ modifiers: [String: YAMLMappingEntry]) -> ScopeDefaults? {
        let errorsBefore = errorCount
        var defaults = ScopeDefaults()
        if let node = modifiers["initializer"]?.value { defaults.initializer = initializer(node, defaults: .compatV1) }
        if let node = modifiers["regularizer"]?.value { defaults.regularizer = regularizer(node) }
        if let node = modifiers["dtype"]?.value { defaults.dtype = dtype(node) }
        if let node = modifiers["partitioner"]?.value {
            defaults.partitioner = partitioner(node)
            if defaults.partitioner != nil {
                diagnostics.warning(node.location, "the shim (track_tf1_style_variables) refuses partitioners (TensorFlow 2 raises \"`partitioner` arg for `get_variable` is unsupported in TF2\"); ModelSpec makes each variable whole, named and saved as graph-mode TensorFlow 1 saves its parts (slices of one checkpoint key), and lists the parts")
            }
        }
        return errorCount == errorsBefore ? defaults : nil
    }

    /// `{fixed_size: 3}`, `{fixed_size: {shards: 3, axis: 1}}`,
    /// `{min_max: {max_partitions: 4, min_slice_size: 65536, axis: 0}}`,
    /// `{variable_axis_size: {max_shard_bytes: 1024, axis: 0, max_shards: 8}}`.
    mutating func partitioner(_ node: YAMLNode) -> Partitioner? {
        let names = ["fixed_size", "min_max", "variable_axis_size"]
        guard let entries = node.mapping, entries.count == 1, let name = entries[0].key.scalar?.text else {
            error(node, "a partitioner is a one-key mapping: {fixed_size: 3}, {min_max: {max_partitions: 4, min_slice_size: 65536}} or {variable_axis_size: {max_shard_bytes: 1048576}}")
            return nil
        }
        let value = entries[0].value
        guard names.contains(name) else {
            error(entries[0].key, "unknown partitioner '\(name)'" + Suggestion.didYouMean(name, among: names))
            return nil
        }
        if name == "fixed_size", let shards = value.scalar?.int {
            guard shards > 0 else {
                error(value, "fixed_size needs a positive number of shards, not \(shards)")
                return nil
            }
            return .fixedSize(shards: shards, axis: 0)
        }
        guard let arguments = mapping(value, "the arguments of \(name)") else { return nil }
        let allowed: [String] = switch name {
        case "fixed_size": ["shards", "axis"]
        case "min_max": ["max_partitions", "min_slice_size", "axis"]
        default: ["max_shard_bytes", "max_shards", "axis"]
        }
        rejectUnknownKeys(arguments, allowed: allowed, in: "the \(name) partitioner")
        func number(_ key: String, positive: Bool) -> Int?? {
            guard let item = value[key] else { return .some(nil) }
            guard let number = int(item, key) else { return nil }
            if positive ? number <= 0 : number < 0 {
                error(item, "\(key) must be \(positive ? "positive" : "0 or more"), not \(number)")
                return nil
            }
            return .some(number)
        }
        guard let axisGiven = number("axis", positive: false) else { return nil }
        let axis = axisGiven ?? 0
        switch name {
        case "fixed_size":
            guard let shards = number("shards", positive: true) else { return nil }
            guard let shards else {
                error(value, "fixed_size needs 'shards': {fixed_size: {shards: 3}}")
                return nil
            }
            return .fixedSize(shards: shards, axis: axis)
        case "min_max":
            guard let maxPartitions = number("max_partitions", positive: true),
                  let minSliceSize = number("min_slice_size", positive: true) else { return nil }
            return .minMax(maxPartitions: maxPartitions ?? 1, axis: axis, minSliceSize: minSliceSize ?? 256 << 10)
        default:
            guard let maxShardBytes = number("max_shard_bytes", positive: true),
                  let maxShards = number("max_shards", positive: true) else { return nil }
            guard let maxShardBytes else {
                error(value, "variable_axis_size needs 'max_shard_bytes'")
                return nil
            }
            return .variableAxisSize(maxShardBytes: maxShardBytes, axis: axis, maxShards: maxShards)
        }
    }
}
